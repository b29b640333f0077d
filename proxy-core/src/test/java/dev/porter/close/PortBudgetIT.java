package dev.porter.close;

import dev.porter.testing.NetnsChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The port-exhaustion incident cannot happen with the shipped defaults. In a namespace with
 * 1,000 ephemeral ports and {@code tcp_tw_reuse = 0} ({@link PortBudgetScenario}), where a
 * proxy that closes first runs out of ports within seconds:
 * <ul>
 *   <li>Porter with no pool keys ({@code keepalive = auto}) serves 200 and 600 clients for a
 *       minute without a 502 or an EADDRNOTAVAIL, opening about one connection per client;</li>
 *   <li>with a pool forced too small ({@code keepalive = 8}) the port budget guard engages and
 *       holds the budget: no 502, and TIME_WAIT moves to the upstream's side;</li>
 *   <li>two source addresses carry 2,000 concurrent upstream connections through the
 *       1,000-port range.</li>
 * </ul>
 */
class PortBudgetIT {
    @TempDir
    Path dir;

    private Map<String, Long> run(int clients, int seconds, String load, String... upstreamExtra) throws Exception {
        List<String> args = new ArrayList<>(List.of(Integer.toString(clients), Integer.toString(seconds), load));
        args.addAll(List.of(upstreamExtra));
        String output = NetnsChild.run(PortBudgetScenario.class, args, dir, seconds + 180L);
        Map<String, String> result = NetnsChild.result(output);
        Map<String, Long> r = new HashMap<>();
        result.forEach((k, v) -> r.put(k, v.equals("true") ? 1L : v.equals("false") ? 0L : Long.parseLong(v)));
        System.out.println(clients + " clients " + String.join(" ", upstreamExtra) + ": " + result);
        return r;
    }

    @Test
    void theShippedDefaultsServe200And600ClientsForAMinuteWithoutRunningOutOfPorts() throws Exception {
        for (int clients : new int[] {200, 600}) {
            Map<String, Long> r = run(clients, 60, "loop");
            assertThat(r.get("ok")).as("%d clients: %s", clients, r).isPositive();
            assertThat(r.get("status502")).as("%d clients: %s", clients, r).isZero();
            assertThat(r.get("otherStatus")).as("%d clients: %s", clients, r).isZero();
            assertThat(r.get("eaddrnotavail")).as("%d clients: %s", clients, r).isZero();
            assertThat(r.get("ioErrors")).as("%d clients: %s", clients, r).isZero();
            // The pool follows the concurrency: connections opened are about one per client plus
            // planned retirements (1 per keepalive-requests = 1000 requests), never one per request.
            assertThat(r.get("opened")).as("%d clients: %s", clients, r)
                    .isLessThanOrEqualTo(clients + 2 * r.get("upstreamRequests") / 1000 + 10);
        }
    }

    @Test
    void aPoolForcedTooSmallEngagesTheGuardWhichMovesTimeWaitToTheUpstream() throws Exception {
        Map<String, Long> r = run(200, 20, "loop", "keepalive = 8");
        assertThat(r.get("ok")).as("%s", r).isPositive();
        assertThat(r.get("status502")).as("%s", r).isZero();
        assertThat(r.get("eaddrnotavail")).as("%s", r).isZero();
        assertThat(r.get("guardEngagedSeen")).as("%s", r).isEqualTo(1);
        // Porter's own TIME_WAIT stops near the threshold (50% of 1,000 minus the open connections);
        // from then on the upstream closes first and holds the TIME_WAIT.
        assertThat(r.get("proxyTimeWaitMax")).as("%s", r).isLessThan(600);
        assertThat(r.get("upstreamTimeWaitMax")).as("%s", r).isGreaterThanOrEqualTo(100);
    }

    @Test
    void twoSourceAddressesCarry2000ConcurrentUpstreamConnectionsThroughA1000PortRange() throws Exception {
        // The origin answers only once it holds 2,000 connections at the same time.
        Map<String, Long> r = run(2000, 0, "together", "source-addresses = [ \"127.0.0.2\", \"127.0.0.3\" ]",
                "queue-timeout = 60s");
        assertThat(r.get("ok")).as("%s", r).isEqualTo(2000);
        assertThat(r.get("eaddrnotavail")).as("%s", r).isZero();
        assertThat(r.get("originPeakOpen")).as("%s", r).isGreaterThanOrEqualTo(2000);
    }
}
