package dev.porter.bench;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The bench drives Porter from outside: it uses only {@code proxy-core}'s API packages
 * ({@code dev.porter}'s {@code Porter}, {@code config}, {@code metrics}, {@code observe},
 * {@code tcp}), never its internals nor {@code proxy-server}. Main classes only.
 */
@AnalyzeClasses(packages = "dev.porter.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class BenchArchitectureTest {

    @ArchTest
    static final ArchRule usesOnlyTheApiOfCore = classes()
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.porter..").or(resideInAnyPackage(
                    "dev.porter.bench..",
                    "dev.porter", "dev.porter.config..", "dev.porter.metrics..", "dev.porter.observe..",
                    "dev.porter.tcp..")))
            .as("proxy-bench uses only proxy-core's API packages (dev.porter, config, metrics, observe, tcp)");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.porter.bench.(**)").should().beFreeOfCycles();
}
