package io.mnistspark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The hardware side of {@code bench/roofline}: how many single-precision GFLOP/s this machine's BLAS, as ND4J
 * calls it, reaches on exactly the matrix products of one fit step of a preset, each timed alone and in a
 * loop. A fit step of a dense network with layer sizes n0..nL and batch B does, per layer i, the forward
 * product [B x n(i-1)] x [n(i-1) x n(i)], the weight gradient [n(i-1) x B] x [B x n(i)] and, except for the
 * first layer, the input gradient [B x n(i)] x [n(i) x n(i-1)]: 2 B n(i-1) n(i) FLOPs each. The sum of those
 * FLOPs over the sum of the measured times is the preset's roofline: the fastest a fit step could be if it did
 * nothing but its matrix products at this BLAS's speed. The thread count is the process's (OMP_NUM_THREADS).
 */
@Command(name = "sgemm-roofline", mixinStandardHelpOptions = true)
public final class SgemmRoofline implements Callable<Integer> {
    @Option(names = "--conf", required = true, split = ",", description = "presets, e.g. conf/nielsen.conf,conf/best.conf")
    List<Path> confs;

    @Option(names = "--seconds", defaultValue = "0.3", description = "time per shape and repetition")
    double seconds;

    @Option(names = "--repetitions", defaultValue = "5", description = "timed repetitions per shape; the median counts")
    int repetitions;

    @Option(names = "--label", defaultValue = "", description = "label written with the result, e.g. the native build")
    String label;

    @Option(names = "--append", description = "JSON-lines file to append one line per preset to")
    Path append;

    public static void main(String[] args) {
        io.mnistspark.model.NativeBuild.select(); // as the product's JVMs do; a -D the script passes wins
        System.exit(new CommandLine(new SgemmRoofline()).execute(args));
    }

    /** One matrix product of a fit step: C[m x n] = op(A) x op(B) with inner dimension k. */
    record Product(String role, int m, int n, int k, boolean transA, boolean transB) {
        double flops() {
            return 2.0 * m * n * k;
        }
    }

    /** The products of one fit step of a dense network with these layer sizes and this batch. */
    static List<Product> fitStepProducts(int[] sizes, int batch) {
        List<Product> products = new ArrayList<>();
        for (int i = 1; i < sizes.length; i++) {
            int in = sizes[i - 1];
            int out = sizes[i];
            String layer = in + "x" + out;
            products.add(new Product("forward " + layer, batch, out, in, false, false));
            products.add(new Product("weight gradient " + layer, in, out, batch, true, false));
            if (i > 1) {
                products.add(new Product("input gradient " + layer, batch, in, out, false, true));
            }
        }
        return products;
    }

    /** FLOPs of the matrix products of one fit step (the work a roofline counts). */
    static double fitStepFlops(int[] sizes, int batch) {
        return fitStepProducts(sizes, batch).stream().mapToDouble(Product::flops).sum();
    }

    static int[] layerSizes(RunConfig config) {
        int[] hidden = config.network().hiddenLayers().stream().mapToInt(Integer::intValue).toArray();
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = 784;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = 10;
        return sizes;
    }

    @Override
    public Integer call() throws Exception {
        Nd4j.create(1);
        String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "default");
        if (label.isEmpty()) {
            label = "nd4j " + io.mnistspark.model.NativeBuild.loaded() + " build, OpenBLAS";
        }
        ObjectMapper json = new ObjectMapper();
        for (Path conf : confs) {
            RunConfig config = new ConfigLoader().file(conf).load();
            int[] sizes = layerSizes(config);
            int batch = config.training().batchSize();
            double flops = 0;
            double seconds = 0;
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Product product : fitStepProducts(sizes, batch)) {
                double s = time(product);
                flops += product.flops();
                seconds += s;
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("product", product.role());
                row.put("shape", product.m() + "x" + product.k() + " by " + product.k() + "x" + product.n());
                row.put("microseconds", s * 1e6);
                row.put("gflops", product.flops() / s / 1e9);
                rows.add(row);
                System.out.printf(Locale.ROOT, "%-10s %-28s %-22s %9.1f us %7.2f GFLOP/s%n", name(conf),
                        product.role(), row.get("shape"), s * 1e6, product.flops() / s / 1e9);
            }
            double gflops = flops / seconds / 1e9;
            System.out.printf(Locale.ROOT, "%-10s roofline: %.3f MFLOP per fit step in %.1f us: %.2f GFLOP/s "
                    + "(threads %s%s)%n", name(conf), flops / 1e6, seconds * 1e6, gflops, threads,
                    label.isEmpty() ? "" : ", " + label);
            if (append != null) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("source", "nd4j");
                line.put("label", label);
                line.put("threads", threads);
                line.put("preset", name(conf));
                line.put("layers", Arrays.toString(sizes));
                line.put("batch", batch);
                line.put("fit_step_flops", flops);
                line.put("roofline_microseconds", seconds * 1e6);
                line.put("roofline_gflops", gflops);
                line.put("products", rows);
                Files.writeString(append, json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
        return 0;
    }

    private static String name(Path conf) {
        return conf.getFileName().toString().replaceFirst("\\.conf$", "");
    }

    /** Median seconds of one product over the repetitions, each a loop of about {@link #seconds}. */
    private double time(Product p) {
        INDArray a = Nd4j.rand(DataType.FLOAT, p.transA() ? new long[]{p.k(), p.m()} : new long[]{p.m(), p.k()});
        INDArray b = Nd4j.rand(DataType.FLOAT, p.transB() ? new long[]{p.n(), p.k()} : new long[]{p.k(), p.n()});
        INDArray c = Nd4j.create(DataType.FLOAT, p.m(), p.n());
        long loops = 1;
        while (true) { // warm up and size the loop
            long start = System.nanoTime();
            for (long i = 0; i < loops; i++) {
                Nd4j.gemm(a, b, c, p.transA(), p.transB(), 1.0, 0.0);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= seconds / 4) {
                loops = Math.max(1, (long) (loops * seconds / elapsed));
                break;
            }
            loops *= 4;
        }
        double[] perCall = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            for (long i = 0; i < loops; i++) {
                Nd4j.gemm(a, b, c, p.transA(), p.transB(), 1.0, 0.0);
            }
            perCall[r] = (System.nanoTime() - start) / 1e9 / loops;
        }
        return ResultsTable.median(perCall);
    }
}
