package dev.porter.bench.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessMemoryTest {
    @Test
    void peakRssIsReadFromVmHwmAndCurrentFromVmRss() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";

        assertThat(ProcessMemory.parseHwm(status)).hasValue(123456);
        assertThat(ProcessMemory.parseKiB(status, "VmRSS:")).hasValue(100000);
    }

    @Test
    void rssAndPssAreReadFromSmapsRollup() {
        String rollup = """
                55d0c0a00000-7ffd5a1f1000 ---p 00000000 00:00 0                          [rollup]
                Rss:               12288 kB
                Pss:                4100 kB
                Pss_Dirty:          2000 kB
                Pss_Anon:           1900 kB
                Shared_Clean:       8000 kB
                """;

        assertThat(ProcessMemory.parseRollup(rollup)).hasValue(new ProcessMemory.Rollup(12288, 4100));
        // Pss_Dirty, Pss_Anon must not be taken for Pss
        assertThat(ProcessMemory.parseRollup("Rss: 1 kB\nPss_Anon: 2 kB\n")).isEmpty();
    }

    @Test
    void growthIsTheDifferenceOfTwoReadings() {
        assertThat(new ProcessMemory.Rollup(30_000, 20_000).minus(new ProcessMemory.Rollup(10_000, 9_000)))
                .isEqualTo(new ProcessMemory.Rollup(20_000, 11_000));
    }

    @Test
    void thisJvmHasAPeakRssAndAnRollup() {
        long pid = ProcessHandle.current().pid();

        assertThat(ProcessMemory.peakRssKiB(pid).orElse(0)).isGreaterThan(1024);
        assertThat(ProcessMemory.rollup(pid)).hasValueSatisfying(r -> assertThat(r.pssKiB()).isPositive());
    }
}
