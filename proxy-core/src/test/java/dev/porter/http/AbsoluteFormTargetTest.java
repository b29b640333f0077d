package dev.porter.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class AbsoluteFormTargetTest {

    @Test
    void splitsATargetIntoAuthorityAndOriginForm() {
        AbsoluteFormTarget target = AbsoluteFormTarget.parse("http://example.com:8080/a?b");
        assertThat(target.authority()).isEqualTo("example.com:8080");
        assertThat(target.originForm()).isEqualTo("/a?b");
    }

    @Test
    void sendsAnEmptyPathAsSlashAlsoBeforeAQuery() {
        assertThat(AbsoluteFormTarget.parse("https://example.com").originForm()).isEqualTo("/");
        assertThat(AbsoluteFormTarget.parse("HTTPS://example.com?q=1").originForm()).isEqualTo("/?q=1");
    }

    @Test
    void acceptsAnIpv6Literal() {
        assertThat(AbsoluteFormTarget.parse("http://[::1]:80/x").authority()).isEqualTo("[::1]:80");
    }

    @Test
    void tellsAbsoluteFormFromOtherForms() {
        assertThat(AbsoluteFormTarget.isAbsoluteForm("http://a/")).isTrue();
        assertThat(AbsoluteFormTarget.isAbsoluteForm("ftp://a/")).isTrue();
        assertThat(AbsoluteFormTarget.isAbsoluteForm("/a?b=http://c")).isFalse();
        assertThat(AbsoluteFormTarget.isAbsoluteForm("*")).isFalse();
        assertThat(AbsoluteFormTarget.isAbsoluteForm("a:443")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://a/", "http://", "http:///a", "http://u@a/", "http://a:x/", "http://a b/",
            "http://a,b/", "http://a/#f", "http://[zz]/", "http://a:65536/"})
    void refusesTargetsItCannotForward(String target) {
        assertThatIllegalArgumentException().isThrownBy(() -> AbsoluteFormTarget.parse(target));
    }
}
