package dev.porter.bench.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCpuTest {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
    private static final String STAT = "1234 (java main) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 40 9 20 0 30 0 100 0 0";

    @Test
    void utimeAndStimeAreReadApartEvenWithSpacesAndParenthesesInTheName() {
        assertThat(ProcessCpu.parseTimes(STAT)).isEqualTo(new ProcessCpu.Times(250, 75));
        assertThat(ProcessCpu.parseTicks(STAT)).isEqualTo(325);
        assertThat(ProcessCpu.parseTimes("7 (a) b) (c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 0 0"))
                .isEqualTo(new ProcessCpu.Times(3, 4));
    }

    @Test
    void reapedChildrenAreCutimeAndCstime() {
        assertThat(ProcessCpu.parseChildTimes(STAT)).isEqualTo(new ProcessCpu.Times(40, 9));
    }

    @Test
    void aDeltaSubtractsEachSide() {
        ProcessCpu.Times d = new ProcessCpu.Times(1_500, 900).minus(new ProcessCpu.Times(500, 400));

        assertThat(d).isEqualTo(new ProcessCpu.Times(1_000, 500));
        assertThat(d.total()).isEqualTo(1_500);
    }

    @Test
    void thisJvmHasUsedSomeCpuInUserMode() {
        assertThat(ProcessCpu.self()).hasValueSatisfying(t -> assertThat(t.user()).isPositive());
    }
}
