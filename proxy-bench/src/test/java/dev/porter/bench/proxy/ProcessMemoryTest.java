package dev.porter.bench.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessMemoryTest {
    @Test
    void peakRssIsReadFromVmHwm() {
        String status = "Name:\tjava\nVmPeak:\t 5000000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t  100000 kB\n";
        assertThat(ProcessMemory.parseHwm(status)).hasValue(123456);
    }

    @Test
    void thisJvmHasAPeakRss() {
        assertThat(ProcessMemory.peakRssKiB(ProcessHandle.current().pid()).orElse(0)).isGreaterThan(1024);
    }
}
