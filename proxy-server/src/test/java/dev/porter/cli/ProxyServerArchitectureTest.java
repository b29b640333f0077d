package dev.porter.cli;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * {@code proxy-server} is the process around {@code proxy-core}, not a second place for proxy
 * logic: it uses only core's API packages ({@code dev.porter}'s {@code Porter}, {@code config},
 * {@code metrics}, {@code observe}, {@code tcp}), and {@code cli} sits above {@code admin} and
 * {@code demo}. Main classes only.
 */
@AnalyzeClasses(packages = {"dev.porter.admin", "dev.porter.cli", "dev.porter.demo"},
        importOptions = ImportOption.DoNotIncludeTests.class)
class ProxyServerArchitectureTest {

    @ArchTest
    static final ArchRule usesOnlyTheApiOfCore = classes()
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.porter..").or(resideInAnyPackage(
                    "dev.porter.admin..", "dev.porter.cli..", "dev.porter.demo..",
                    "dev.porter", "dev.porter.config..", "dev.porter.metrics..", "dev.porter.observe..",
                    "dev.porter.tcp..")))
            .as("proxy-server uses only proxy-core's API packages (dev.porter, config, metrics, observe, tcp)");

    /**
     * These binders subscribe to the JMX notification of every collection, which the JVM then
     * serves on a thread of its own on the worker's core: Porter's p99 was 16–20% higher with
     * them ({@code dev.porter.observe.JvmGcMeters} reads the collectors when scraped instead).
     */
    @ArchTest
    static final ArchRule noGcNotificationListeners = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("io.micrometer.core.instrument.binder.jvm.JvmGcMetrics")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics")
            .as("no meter listens to every garbage collection's notification");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.porter.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule cliIsOnTop = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("dev.porter.cli..")
            .layer("admin").definedBy("dev.porter.admin..")
            .layer("demo").definedBy("dev.porter.demo..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("admin").mayNotAccessAnyLayer()
            .whereLayer("demo").mayNotAccessAnyLayer();
}
