package dev.porter.bench.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsProbeTest {
    @Test
    void theAgreedProtocolSuiteKeyExchangeAndSignatureMakeOneLine() {
        // openssl 3.0 s_client -brief, against a TLS 1.3 server with an RSA certificate
        String out = """
                depth=0 CN = localhost
                verify error:num=18:self-signed certificate
                CONNECTION ESTABLISHED
                Protocol version: TLSv1.3
                Ciphersuite: TLS_AES_256_GCM_SHA384
                Peer certificate: CN = localhost
                Hash used: SHA256
                Signature type: RSA-PSS
                Verification error: self-signed certificate
                Server Temp Key: X25519, 253 bits
                DONE
                """;

        assertThat(TlsProbe.parse(out)).isEqualTo("TLSv1.3 TLS_AES_256_GCM_SHA384 X25519 RSA-PSS");
    }

    @Test
    void aTls12HandshakeNamesItsEcdheSuite() {
        String out = """
                CONNECTION ESTABLISHED
                Protocol version: TLSv1.2
                Ciphersuite: ECDHE-RSA-AES128-GCM-SHA256
                Signature type: RSA-PSS
                Server Temp Key: ECDH, prime256v1, 256 bits
                DONE
                """;

        assertThat(TlsProbe.parse(out)).isEqualTo("TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 ECDH RSA-PSS");
    }

    @Test
    void aFailedHandshakeIsUnknownWithOpensslsFirstLine() {
        String out = """
                40C7A1F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:
                """;

        assertThat(TlsProbe.parse(out)).startsWith("unknown (no handshake: ").contains("wrong version number");
    }
}
