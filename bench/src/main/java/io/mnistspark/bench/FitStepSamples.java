package io.mnistspark.bench;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the stack of the thread running DL4J fit steps with Java Flight Recorder (every millisecond, Java and
 * native-method samples) and sorts each sample into the first {@link Cost}, in the enum's order, that a frame of
 * its stack shows (so an allocation made to build a shape descriptor counts as the descriptor's).
 * The shares times the measured microseconds of a step say where each part of a step goes.
 */
final class FitStepSamples {
    /** Why a sample of a fit step was spending its time; earlier constants win over later ones. */
    enum Cost {
        SHAPE_DESCRIPTORS("shape and TAD descriptors of the operands (native buffers built per call)"),
        OP_CONTEXT("setting up each operation's native context (inputs, outputs, arguments)"),
        NEW_ARRAYS("allocating result arrays (native buffer + registration with ND4J's deallocator)"),
        MATRIX_PRODUCTS("matrix products (BLAS gemm, through libnd4j or called by the fused layers)"),
        OTHER_NATIVE_OPS("element-wise, broadcast and reduction operations (libnd4j)"),
        JAVA("DL4J and ND4J Java code: layers, loss, updater, workspaces, op objects");

        final String description;

        Cost(String description) {
            this.description = description;
        }
    }

    private final Map<Cost, Integer> counts = new EnumMap<>(Cost.class);
    private int total;

    /**
     * Runs {@code work} under a recording and counts the samples of the thread that ran it. With the system
     * property {@code bench.keep-recording} set to a path, the recording is also kept there (for
     * {@code bench/jfr-top.py}).
     */
    static FitStepSamples record(Runnable work) {
        FitStepSamples samples = new FitStepSamples();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            long thread = Thread.currentThread().getId();
            work.run();
            recording.stop();
            Path file = Files.createTempFile("fit-step", ".jfr");
            try {
                recording.dump(file);
                String keep = System.getProperty("bench.keep-recording");
                if (keep != null) {
                    Files.copy(file, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                    if (event.getThread("sampledThread") != null
                            && event.getThread("sampledThread").getJavaThreadId() == thread
                            && event.getStackTrace() != null) {
                        samples.add(classify(event.getStackTrace().getFrames()));
                    }
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return samples;
    }

    /** The first cost, in the enum's order, that any frame of the stack shows: why the time was spent. */
    static Cost classify(List<RecordedFrame> frames) {
        boolean nativeTop = !frames.isEmpty() && isNativeOp(name(frames.get(0)));
        for (Cost cost : Cost.values()) {
            for (RecordedFrame frame : frames) {
                if (shows(cost, name(frame), nativeTop)) {
                    return cost;
                }
            }
        }
        return Cost.JAVA;
    }

    private static boolean shows(Cost cost, String name, boolean nativeTop) {
        return switch (cost) {
            case SHAPE_DESCRIPTORS -> name.contains("ShapeInfo") || name.contains("shapeBuffer")
                    || name.contains("TADManager") || name.contains("calculateOutputShape");
            case OP_CONTEXT -> name.contains("OpContext") || name.contains("GraphContext")
                    || name.contains("buildContext");
            case NEW_ARRAYS -> name.contains("DataBufferFactory.create") || name.contains("CpuDataBuffer.<init>")
                    || name.contains("allocateDataBuffer") || name.contains("DeallocatorService")
                    || name.contains("javacpp.Pointer");
            case MATRIX_PRODUCTS -> nativeTop && (name.contains("gemm") || name.contains("mmul"));
            case OTHER_NATIVE_OPS -> nativeTop;
            case JAVA -> true;
        };
    }

    private static boolean isNativeOp(String name) {
        return name.startsWith("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.exec")
                || name.startsWith("org.bytedeco.openblas.global.openblas_nolapack.cblas_");
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    void add(Cost cost) {
        counts.merge(cost, 1, Integer::sum);
        total++;
    }

    int total() {
        return total;
    }

    double share(Cost cost) {
        return total == 0 ? 0 : counts.getOrDefault(cost, 0) / (double) total;
    }
}
