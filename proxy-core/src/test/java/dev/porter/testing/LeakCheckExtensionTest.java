package dev.porter.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Proof that a leaked {@link ByteBuf} fails the build, not just a log line: a test class that
 * leaks one buffer is run inside this test (JUnit's test kit, same JVM, same PARANOID
 * detector), and its run must fail with the leak named. The leak is caught and drained by that
 * inner run, so it never fails this class or another one.
 *
 * <p>The inner classes are static members, which Surefire and Failsafe never select on their
 * own (their default excludes {@code **}{@code /*$*}).
 */
class LeakCheckExtensionTest {
    private static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";
    private static final AtomicReference<String> autodetection = new AtomicReference<>();
    /** Marks the deliberate leak's record, so that the proof recognises its own leak. */
    static final String HINT = "deliberate-leak-" + UUID.randomUUID();

    @RegisterExtension
    static final BeforeAllCallback READ_CONFIGURATION = context ->
            autodetection.set(context.getConfigurationParameter(AUTODETECTION).orElse("false"));

    @Test
    void theBuildRegistersTheLeakCheckForEveryTestClass() {
        // LeakCheckExtension reaches every class through JUnit's extension auto-detection
        // (META-INF/services), which only works where the build turns it on.
        assertThat(autodetection.get()).as(AUTODETECTION + " in the Surefire/Failsafe configuration").isEqualTo("true");
        assertThat(ServiceLoader.load(Extension.class).stream().map(p -> p.type().getName()))
                .contains(LeakCheckExtension.class.getName());
    }

    @Test
    void aTestClassThatLeaksOneByteBufFailsNamingTheLeak() {
        EngineExecutionResults results = run(LeakingClass.class);

        // The test method itself passes: it is the class-level check that fails it.
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        Throwable cause = failed.get(0).getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable).orElseThrow();
        assertThat(cause).isInstanceOf(AssertionError.class);
        // Exactly this leak: another one surfacing here would be a real leak of an earlier class.
        assertThat(cause.getMessage()).startsWith("1 ByteBuf leak(s) in ").contains(HINT);
    }

    @Test
    void aTestClassThatReleasesItsBuffersPasses() {
        EngineExecutionResults results = run(ReleasingClass.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertStatistics(s -> s.failed(0));
    }

    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .configurationParameter(AUTODETECTION, autodetection.get())
                .execute();
    }

    /** Leaks one pooled direct buffer: allocated, touched with {@link #HINT}, never released. */
    static final class LeakingClass {
        @Test
        void allocatesAndForgetsABuffer() {
            leak();
        }

        private static void leak() {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            buf.writeLong(42);
            buf.touch(HINT);
        }
    }

    /** The same allocation, released. */
    static final class ReleasingClass {
        @Test
        void allocatesAndReleasesABuffer() {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            buf.writeLong(42);
            buf.touch(HINT);
            assertThat(buf.release()).isTrue();
        }
    }
}
