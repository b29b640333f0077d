package dev.porter;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.netty.channel.ChannelHandler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of {@code proxy-core}, so that it holds from now on. From the bottom:
 * <pre>
 * pki, transport, timer, tcp   depend on nothing of Porter's
 * config                       immutable records; reads TLS material (pki) to check it at load
 * client, close, metrics       the client's address; who closes and how; per-worker counters
 * http, tls                    the wire format (pure: buffers in, buffers out); TLS contexts
 * upstream                     pools, connections to upstream servers, balancing
 * tunnel                       a byte tunnel between two connections after a 101; only needs the timer
 * exchange                     one request's way through an upstream attempt
 * server                       the client connection: pipeline, limits, routing
 * dev.porter                   Porter: start-up, binding, reload, the snapshots
 * observe                      reads snapshots into /status and /metrics; nothing in core uses it
 * </pre>
 * Main classes only: tests may reach across.
 */
@AnalyzeClasses(packages = "dev.porter", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.(**)")
            .as("every package of Porter").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule packagesFollowTheLayering = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("pki").definedBy("dev.porter.pki..")
            .layer("transport").definedBy("dev.porter.transport..")
            .layer("timer").definedBy("dev.porter.timer..")
            .layer("tcp").definedBy("dev.porter.tcp..")
            .layer("config").definedBy("dev.porter.config..")
            .layer("client").definedBy("dev.porter.client..")
            .layer("close").definedBy("dev.porter.close..")
            .layer("metrics").definedBy("dev.porter.metrics..")
            .layer("http").definedBy("dev.porter.http..")
            .layer("tls").definedBy("dev.porter.tls..")
            .layer("upstream").definedBy("dev.porter.upstream..")
            .layer("tunnel").definedBy("dev.porter.tunnel..")
            .layer("exchange").definedBy("dev.porter.exchange..")
            .layer("server").definedBy("dev.porter.server..")
            .layer("porter").definedBy("dev.porter")
            .layer("observe").definedBy("dev.porter.observe..")

            .whereLayer("pki").mayNotAccessAnyLayer()
            .whereLayer("transport").mayNotAccessAnyLayer()
            .whereLayer("timer").mayNotAccessAnyLayer()
            .whereLayer("tcp").mayNotAccessAnyLayer()
            .whereLayer("config").mayOnlyAccessLayers("pki")
            .whereLayer("client").mayOnlyAccessLayers("config")
            .whereLayer("close").mayOnlyAccessLayers("config")
            .whereLayer("metrics").mayOnlyAccessLayers("config", "close")
            .whereLayer("http").mayOnlyAccessLayers("config", "client")
            .whereLayer("tls").mayOnlyAccessLayers("config", "pki")
            .whereLayer("upstream").mayOnlyAccessLayers(
                    "pki", "transport", "timer", "config", "client", "close", "metrics", "http", "tls")
            .whereLayer("tunnel").mayOnlyAccessLayers("timer")
            .whereLayer("exchange").mayOnlyAccessLayers(
                    "timer", "config", "client", "close", "metrics", "http", "upstream", "tunnel")
            .whereLayer("server").mayOnlyAccessLayers(
                    "pki", "transport", "timer", "config", "client", "close", "metrics", "http", "tls",
                    "upstream", "tunnel", "exchange")
            .whereLayer("porter").mayOnlyAccessLayers(
                    "pki", "transport", "timer", "tcp", "config", "client", "close", "metrics", "http", "tls",
                    "upstream", "tunnel", "exchange", "server")
            .whereLayer("observe").mayOnlyAccessLayers("tcp", "config", "close", "metrics")
            .whereLayer("observe").mayNotBeAccessedByAnyLayer();

    /** The wire format is pure: it reads and writes buffers and never sees a channel or a pipeline. */
    @ArchTest
    static final ArchRule httpDoesNotTouchChannels = noClasses().that().resideInAPackage("dev.porter.http..")
            .should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.netty.bootstrap..");

    /**
     * Handlers do not call each other by reference: a Porter {@link ChannelHandler} (or a class
     * nested in one) calls no method of another Porter handler class. Handlers talk through the
     * pipeline (events, user events, {@code ctx.fire...}) or through a narrow interface that is
     * not itself a handler; an initializer may construct handlers, which is not a method call.
     */
    @ArchTest
    static final ArchRule handlersDoNotCallEachOther = classes().that(areInsideAPorterHandler())
            .should(callNoMethodOfAnotherPorterHandler());

    private static DescribedPredicate<JavaClass> areInsideAPorterHandler() {
        return DescribedPredicate.describe("are Porter channel handlers or nested in one",
                c -> isPorterHandler(c) || isPorterHandler(outermost(c)));
    }

    private static ArchCondition<JavaClass> callNoMethodOfAnotherPorterHandler() {
        return new ArchCondition<>("call no method of another Porter channel handler") {
            @Override
            public void check(JavaClass caller, ConditionEvents events) {
                JavaClass own = outermost(caller);
                for (JavaMethodCall call : caller.getMethodCallsFromSelf()) {
                    JavaClass owner = call.getTargetOwner();
                    JavaClass target = outermost(owner);
                    if (isPorterHandler(owner) && !target.equals(own)) {
                        events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                    }
                }
            }
        };
    }

    private static boolean isPorterHandler(JavaClass c) {
        return c.getPackageName().startsWith("dev.porter") && c.isAssignableTo(ChannelHandler.class);
    }

    private static JavaClass outermost(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer;
    }
}
