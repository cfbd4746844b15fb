package io.mnistspark.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of ND4J's CPU builds a JVM loads: the generic x86-64 one, the AVX2 one or the AVX-512 one, among those on
 * the class path. The product ships the generic and the AVX2 build (nd4j-native 1.0.0-M2 with the classifiers
 * {@code linux-x86_64} and {@code linux-x86_64-avx2}); the AVX-512 build measured no faster than AVX2 here and is
 * left out, but is chosen on an AVX-512 CPU if it is added. Left alone, JavaCPP loads the most demanding build on
 * the class path whatever the CPU, and ND4J refuses to start on a CPU that lacks its instructions; so every JVM
 * that may load ND4J picks the build its own CPU runs before ND4J loads, by setting JavaCPP's
 * {@code org.bytedeco.javacpp.platform.extension}:
 * <ul>
 *   <li>the driver: {@code cli.Main}, {@code cli.SparkRuntime} and the Spark ML classes call {@link #select()};</li>
 *   <li>executors: {@link NativeBuildPlugin}, a Spark plugin that {@code SparkRuntime} registers and that users'
 *       own sessions add with {@code spark.plugins}.</li>
 * </ul>
 * A value the user already set ({@code -Dorg.bytedeco.javacpp.platform.extension=-avx2}, or {@code -generic} for
 * the generic build) is kept. The choice follows libnd4j's own minimal requirements for each build.
 *
 * <p>The same call sets the BLAS kernels. ND4J's matrix products run in the OpenBLAS 0.3.19 that JavaCPP bundles,
 * whose CPU detection predates AMD Zen 5: on it, it picks its "Barcelona" kernels (SSE2, 2007), at a third of
 * the sgemm GFLOP/s of its SkylakeX kernels, and ND4J fits {@code conf/best.conf} at half speed. So, unless the
 * environment already names a core type, {@link #select()} sets {@code OPENBLAS_CORETYPE} in the process
 * environment (libc's {@code setenv}, before OpenBLAS loads and reads it) from the CPU's flags: SkylakeX where its
 * AVX-512 kernels run (F, CD, BW, DQ, VL), Haswell on AVX2 CPUs, OpenBLAS's own choice otherwise.
 */
public final class NativeBuild {
    /** JavaCPP's system property naming the build's extension. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";

    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    /** OpenBLAS's environment variable naming the kernels to use instead of its own CPU detection. */
    static final String BLAS_CORE_VARIABLE = "OPENBLAS_CORETYPE";

    /** The CPU flags OpenBLAS's SkylakeX kernels need (its own check for them, {@code support_avx512}). */
    static final Set<String> SKYLAKEX_FLAGS = Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");

    private static String blasCore;

    /** ND4J's CPU builds, from the least to the most demanding. */
    public enum Level {
        /** Any x86-64 CPU. JavaCPP has no extension for it: a name no build has makes it load the plain one. */
        GENERIC("-generic", Set.of()),
        /** libnd4j's AVX2 build checks for AVX and AVX2; it is compiled for FMA as well. */
        AVX2("-avx2", Set.of("avx", "avx2", "fma")),
        /** libnd4j's AVX-512 build (Skylake-X) checks for AVX-512 F, VL, BW, DQ and CD besides AVX2. */
        AVX512("-avx512", Set.of("avx", "avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq", "avx512cd"));

        private final String extension;
        private final Set<String> requiredFlags;

        Level(String extension, Set<String> requiredFlags) {
            this.extension = extension;
            this.requiredFlags = requiredFlags;
        }

        /** The value of {@link #PROPERTY} that loads this build. */
        public String extension() {
            return extension;
        }

        /** The directory of this build's libraries among the class path's resources. */
        String resourceDirectory() {
            return BINDINGS + "linux-x86_64" + (this == GENERIC ? "" : extension) + "/";
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private NativeBuild() {
    }

    /** The most demanding build a CPU with these {@code /proc/cpuinfo} flags runs, among those {@code available}. */
    public static Level choose(Set<String> cpuFlags, Set<Level> available) {
        Level chosen = Level.GENERIC;
        for (Level level : Level.values()) {
            if (available.contains(level) && cpuFlags.containsAll(level.requiredFlags)) {
                chosen = level;
            }
        }
        return chosen;
    }

    /**
     * Sets {@link #PROPERTY} for this JVM's CPU unless it is set already, and returns the build this JVM will load.
     * Call it before anything loads ND4J; later calls change nothing. Off Linux x86-64 it only reports GENERIC.
     */
    public static synchronized Level select() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isEmpty()) {
            return fromExtension(configured);
        }
        if (!isLinuxX86()) {
            return Level.GENERIC;
        }
        Set<String> flags = cpuFlags(Path.of("/proc/cpuinfo"));
        Level chosen = choose(flags, bundled());
        System.setProperty(PROPERTY, chosen.extension());
        selectBlasKernels(flags);
        return chosen;
    }

    /** The OpenBLAS core type for these CPU flags: SkylakeX or Haswell where their kernels run, else null (OpenBLAS decides). */
    static String blasCoreType(Set<String> cpuFlags) {
        if (cpuFlags.containsAll(SKYLAKEX_FLAGS)) {
            return "SkylakeX";
        }
        return cpuFlags.containsAll(Level.AVX2.requiredFlags) ? "Haswell" : null;
    }

    private static void selectBlasKernels(Set<String> flags) {
        String own = System.getenv(BLAS_CORE_VARIABLE);
        if (own != null && !own.isEmpty()) {
            blasCore = own;
            return;
        }
        String core = blasCoreType(flags);
        if (core == null) {
            return;
        }
        try {
            if (org.bytedeco.systems.global.linux.setenv(BLAS_CORE_VARIABLE, core, 0) == 0) {
                blasCore = core;
            }
        } catch (RuntimeException | LinkageError e) {
            // no libc binding for this platform: OpenBLAS keeps its own choice
        }
    }

    /** The OpenBLAS core type this JVM set or found in its environment; null when OpenBLAS chooses by itself. */
    public static synchronized String blasCore() {
        return blasCore;
    }

    /** The build this JVM loaded and the BLAS kernels set or found in the environment, e.g. "avx2, OpenBLAS SkylakeX kernels". */
    public static String describe() {
        String core = blasCore();
        return loaded() + (core == null ? "" : ", OpenBLAS " + core + " kernels");
    }

    /** The level a value of {@link #PROPERTY} loads: GENERIC for a value naming no build. */
    public static Level fromExtension(String extension) {
        return Arrays.stream(Level.values()).filter(l -> l != Level.GENERIC && extension.endsWith(l.extension()))
                .findFirst().orElse(Level.GENERIC);
    }

    /**
     * The build this JVM has loaded, from the path of its {@code libnd4jcpu.so} in {@code /proc/self/maps}:
     * "generic", "avx2" or "avx512"; "not loaded" before ND4J loads, "unknown" off Linux.
     */
    public static String loaded() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
                int at = line.indexOf("/libnd4jcpu.so");
                if (at > 0) {
                    String directory = line.substring(line.lastIndexOf('/', at - 1) + 1, at);
                    return directory.equals("linux-x86_64") ? Level.GENERIC.label()
                            : fromExtension(directory.substring("linux-x86_64".length())).label();
                }
            }
            return "not loaded";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The builds on this class path. */
    static Set<Level> bundled() {
        Set<Level> levels = new TreeSet<>();
        ClassLoader loader = NativeBuild.class.getClassLoader();
        for (Level level : Level.values()) {
            if (loader.getResource(level.resourceDirectory() + "libjnind4jcpu.so") != null) {
                levels.add(level);
            }
        }
        return levels;
    }

    /** The flags of the first processor in a {@code /proc/cpuinfo} file; empty if it cannot be read. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                if (line.startsWith("flags")) {
                    int colon = line.indexOf(':');
                    return new TreeSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (a container without it, another OS): only the generic build is safe
        }
        return Set.of();
    }

    private static boolean isLinuxX86() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }
}
