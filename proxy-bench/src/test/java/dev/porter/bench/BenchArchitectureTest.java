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
 * {@code tcp}), never its internals nor {@code proxy-server}. The exception is
 * {@code dev.porter.bench.micro}: microbenchmarks measure the request path's pieces themselves
 * (the {@code http} package and the {@code client} address it forwards), and nothing else in the
 * bench may depend on them. Main classes only.
 */
@AnalyzeClasses(packages = "dev.porter.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class BenchArchitectureTest {

    @ArchTest
    static final ArchRule usesOnlyTheApiOfCore = classes().that().resideOutsideOfPackage("dev.porter.bench.micro..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.porter..").or(resideInAnyPackage(
                    "dev.porter.bench..",
                    "dev.porter", "dev.porter.config..", "dev.porter.metrics..", "dev.porter.observe..",
                    "dev.porter.tcp..")))
            .as("proxy-bench uses only proxy-core's API packages (dev.porter, config, metrics, observe, tcp)");

    @ArchTest
    static final ArchRule microbenchmarksReachOnlyTheRequestPathPieces = classes().that().resideInAPackage("dev.porter.bench.micro..")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.porter..").or(resideInAnyPackage(
                    "dev.porter.bench.micro..", "dev.porter.config..", "dev.porter.http..", "dev.porter.client..")))
            .as("microbenchmarks use the http and client packages and config, nothing else of Porter");

    @ArchTest
    static final ArchRule nothingElseDependsOnTheMicrobenchmarks = classes().that().resideOutsideOfPackage("dev.porter.bench.micro..")
            .and().resideOutsideOfPackage("dev.porter.bench")
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.porter.bench.micro.."))
            .as("only the command line reaches the microbenchmarks");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.porter.bench.(**)").should().beFreeOfCycles();
}
