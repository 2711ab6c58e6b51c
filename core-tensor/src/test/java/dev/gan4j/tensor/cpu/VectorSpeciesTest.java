package dev.gan4j.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend uses one float vector species only, the GEMM's. A second one (a half-width species for
 * widening to double, say) puts two float vector classes into the type profiles of the JDK's shared
 * Vector API call sites, and a GEMM micro-kernel compiled after that runs without intrinsics, 10-20x
 * slower, for the rest of the run — not in every run, only when the other species warmed up first
 * (seen: a {@code cifar10-dcgan} step at 3.2 s instead of about 0.3 s). A timing test cannot catch that
 * reliably, so this test checks the cause: every {@code VectorSpecies<Float>} constant in this package.
 */
class VectorSpeciesTest {

    @Test
    void everyFloatSpeciesInTheCpuBackendIsThePreferredOne() throws Exception {
        List<String> checked = new ArrayList<>();
        for (Class<?> type : classesOfThisPackage()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || field.getType() != VectorSpecies.class) continue;
                field.setAccessible(true);
                VectorSpecies<?> species = (VectorSpecies<?>) field.get(null);
                if (species.elementType() != float.class) continue;
                assertEquals(FloatVector.SPECIES_PREFERRED, species, type.getSimpleName() + "." + field.getName());
                checked.add(type.getSimpleName() + "." + field.getName());
            }
        }
        assertFalse(checked.isEmpty(), "no float species found: the scan is broken");
        assertTrue(checked.contains("GemmVectorKernel.F"), checked.toString());
    }

    private static List<Class<?>> classesOfThisPackage() throws Exception {
        Path dir = Path.of(GemmVectorKernel.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(VectorSpeciesTest.class.getPackageName().replace('.', '/'));
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString().replace(".class", "");
                classes.add(Class.forName(VectorSpeciesTest.class.getPackageName() + "." + name));
            }
        }
        return classes;
    }
}
