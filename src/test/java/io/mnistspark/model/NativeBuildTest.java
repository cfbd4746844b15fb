package io.mnistspark.model;

import io.mnistspark.model.NativeBuild.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeBuildTest {
    private static final Set<String> BASE = Set.of("fpu", "sse", "sse2", "ssse3", "sse4_1", "sse4_2", "popcnt");
    private static final Set<Level> ALL = EnumSet.allOf(Level.class);

    private static Set<String> flags(Set<String> base, String... more) {
        Set<String> flags = new java.util.TreeSet<>(base);
        flags.addAll(List.of(more));
        return flags;
    }

    @Test
    void choosesTheMostDemandingBuildTheCpuRuns() {
        assertEquals(Level.GENERIC, NativeBuild.choose(BASE, ALL), "an SSE4-only CPU");
        assertEquals(Level.GENERIC, NativeBuild.choose(flags(BASE, "avx"), ALL), "AVX without AVX2 (Sandy Bridge)");
        Set<String> haswell = flags(BASE, "avx", "avx2", "fma");
        assertEquals(Level.AVX2, NativeBuild.choose(haswell, ALL), "AVX2 (Haswell, Zen 1-3)");
        assertEquals(Level.AVX2, NativeBuild.choose(flags(haswell, "avx512f", "avx512cd"), ALL),
                "AVX-512 F and CD only (Knights Landing) lack what libnd4j's AVX-512 build checks");
        Set<String> skylakeX = flags(haswell, "avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd");
        assertEquals(Level.AVX512, NativeBuild.choose(skylakeX, ALL), "Skylake-X, Zen 4");
        assertEquals(Level.AVX2, NativeBuild.choose(skylakeX, EnumSet.of(Level.GENERIC, Level.AVX2)),
                "only builds on the class path are chosen");
        assertEquals(Level.GENERIC, NativeBuild.choose(Set.of(), ALL), "no /proc/cpuinfo: the generic build");
    }

    @Test
    void openBlasGetsTheMostDemandingKernelsTheCpuRuns() {
        Set<String> haswell = flags(BASE, "avx", "avx2", "fma");
        assertEquals(null, NativeBuild.blasCoreType(BASE), "an SSE4-only CPU: OpenBLAS decides");
        assertEquals("Haswell", NativeBuild.blasCoreType(haswell));
        assertEquals("Haswell", NativeBuild.blasCoreType(flags(haswell, "avx512f", "avx512cd")), "Knights Landing");
        assertEquals("SkylakeX", NativeBuild.blasCoreType(
                flags(haswell, "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")));
    }

    @Test
    void readsTheFlagsOfProcCpuinfo(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu avx avx2 fma\n\n"
                + "processor\t: 1\nflags\t\t: fpu\n", StandardCharsets.UTF_8);
        assertEquals(Set.of("fpu", "avx", "avx2", "fma"), NativeBuild.cpuFlags(cpuinfo));
        assertEquals(Set.of(), NativeBuild.cpuFlags(dir.resolve("missing")));
    }

    @Test
    void extensionsMapToLevels() {
        assertEquals(Level.AVX512, NativeBuild.fromExtension("-avx512"));
        assertEquals(Level.AVX2, NativeBuild.fromExtension("-avx2"));
        assertEquals(Level.GENERIC, NativeBuild.fromExtension("-generic"));
        for (Level level : Level.values()) {
            assertEquals(level, NativeBuild.fromExtension(level.extension()));
        }
    }

    @Test
    void theProductShipsTheGenericAndTheAvx2Builds() {
        assertEquals(EnumSet.of(Level.GENERIC, Level.AVX2), NativeBuild.bundled());
    }

    @Test
    void theSparkPluginIsAddedOnce() {
        String name = NativeBuildPlugin.class.getName();
        assertEquals(name, NativeBuildPlugin.addTo(null));
        assertEquals(name, NativeBuildPlugin.addTo(" "));
        assertEquals("com.example.P," + name, NativeBuildPlugin.addTo("com.example.P"));
        assertEquals("com.example.P, " + name, NativeBuildPlugin.addTo("com.example.P, " + name));
    }

    /** On this machine's CPU, a fresh JVM loads the build {@link NativeBuild#choose} names, or the one the user set. */
    @Test
    void aFreshJvmLoadsTheChosenBuildOnThisCpu() throws Exception {
        Set<String> cpu = NativeBuild.cpuFlags(Path.of("/proc/cpuinfo"));
        Level expected = NativeBuild.choose(cpu, NativeBuild.bundled());
        String core = NativeBuild.blasCoreType(cpu);
        assertEquals("selected=" + expected.label() + " loaded=" + expected.label() + " blas=" + core, probe());
        if (core != null) { // OpenBLAS's own word (OPENBLAS_VERBOSE=2 makes it print the kernels it loaded)
            assertTrue(output.contains("Core: " + core), output);
        }
        assertTrue(probe("-D" + NativeBuild.PROPERTY + "=-generic").startsWith("selected=generic loaded=generic "),
                "a build the user chose is kept");
    }

    private static String output = "";

    private static String probe(String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NativeBuildProbe.class.getName()));
        File log = File.createTempFile("native-build", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
            builder.environment().remove("OPENBLAS_CORETYPE");
            builder.environment().put("OPENBLAS_VERBOSE", "2");
            Process process = builder.start();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe JVM finishes");
            List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
            output = String.join("\n", lines);
            assertEquals(0, process.exitValue(), String.join("\n", lines));
            return lines.stream().filter(l -> l.startsWith("selected=")).findFirst().orElse(String.join("\n", lines));
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }
}
