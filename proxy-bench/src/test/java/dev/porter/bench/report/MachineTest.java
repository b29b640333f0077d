package dev.porter.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MachineTest {

    @Test
    void theCpuModelIsTheFirstModelNameOfCpuinfo() {
        String cpuinfo = """
                processor	: 0
                vendor_id	: AuthenticAMD
                model name	: AMD EPYC 9R14 96-Core Processor
                flags		: fpu vme

                processor	: 1
                model name	: AMD EPYC 9R14 96-Core Processor
                """;
        assertThat(Machine.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 9R14 96-Core Processor");
    }

    @Test
    void aCpuinfoWithoutAModelNameSaysUnknown() {
        assertThat(Machine.cpuModel("processor\t: 0\nfeatures\t: fp asimd\n")).isEqualTo("unknown");
    }

    @Test
    void whereARunWasMeasuredIsReadFromThisMachine() {
        Machine m = Machine.since(0.5);
        assertThat(m.cores()).isPositive();
        assertThat(m.kernel()).isNotBlank().doesNotContain("\n");
        assertThat(m.cpuModel()).isNotBlank();
        assertThat(m.loadAverageStart()).isEqualTo(0.5);
    }

    @Test
    void cpuListsAreCounted() {
        assertThat(Machine.cpuCount("0-1")).isEqualTo(2);
        assertThat(Machine.cpuCount("0,2")).isEqualTo(2);
        assertThat(Machine.cpuCount("3")).isEqualTo(1);
    }
}
