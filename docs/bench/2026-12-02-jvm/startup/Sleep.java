public class Sleep { public static void main(String[] a) throws Exception { System.out.println("up"); Thread.sleep(60000); } }
