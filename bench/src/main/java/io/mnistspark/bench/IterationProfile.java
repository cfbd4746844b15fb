package io.mnistspark.bench;

import io.mnistspark.config.ConfigLoader;
import io.mnistspark.config.RunConfig;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.model.FusedNetwork;
import io.mnistspark.model.NetworkFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.profiler.OpProfiler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where the time of one DL4J training iteration goes, for {@code bench/README.md}: the microseconds of a whole
 * {@code fit} step, of its forward pass, of its gradient, of the same math written as the fewest possible ND4J
 * calls, of one native call that does almost nothing, and of the one matrix product that does the most work;
 * the time to build one mini-batch from the images (what caching an epoch's mini-batches would save);
 * the Java heap bytes allocated per step; and (with {@code --ops}) ND4J's own count of the operations a step
 * executes. All on one thread and on mini-batches built beforehand, so neither Spark nor data preparation
 * is in the figures.
 */
@Command(name = "iteration-profile", mixinStandardHelpOptions = true)
public final class IterationProfile implements Callable<Integer> {
    @Option(names = "--conf", defaultValue = "conf/nielsen.conf")
    java.nio.file.Path conf;

    @Option(names = "--data", defaultValue = "../shared/data/mnist")
    String data;

    @Option(names = "--iterations", defaultValue = "5000", description = "steps per measurement (one epoch of nielsen.conf)")
    int iterations;

    @Option(names = "--workspaces", defaultValue = "enabled", description = "DL4J training workspaces: enabled | none")
    String workspaces;

    @Option(names = "--no-helpers", description = "Nd4j.getEnvironment().allowHelpers(false): no oneDNN helpers")
    boolean noHelpers;

    @Option(names = "--no-periodic-gc", description = "ND4J's memory manager never calls System.gc() itself")
    boolean noPeriodicGc;

    @Option(names = "--threads", defaultValue = "1",
            description = "with more than 1: only time fit steps, on this many threads at once, each with its own network")
    int threads;

    @Option(names = "--ops", description = "also count and time the ND4J operations of a fit step (slows them)")
    boolean ops;

    public static void main(String[] args) {
        io.mnistspark.model.NativeBuild.select(); // as the product's JVMs do; a -D the script passes wins
        System.exit(new CommandLine(new IterationProfile()).execute(args));
    }

    @Override
    public Integer call() {
        RunConfig config = new ConfigLoader().file(conf).load();
        Nd4j.create(1);
        if (noHelpers) {
            Nd4j.getEnvironment().allowHelpers(false);
        }
        if (noPeriodicGc) {
            Nd4j.getMemoryManager().togglePeriodicGc(false);
        }
        LocalMnist mnist = LocalMnist.read(new Path(data), config, new Configuration());
        LabeledImages train = mnist.train();
        List<DataSet> batches = new ArrayList<>();
        Iterator<DataSet> it = LocalMnist.epochBatches(train, config, 1, mnist.classes()).iterator();
        while (it.hasNext() && batches.size() < iterations) {
            batches.add(it.next());
        }
        MultiLayerConfiguration layers = NetworkFactory.configuration(config.network(), config.training(),
                train.pixelsPerImage(), mnist.classes());
        if (workspaces.equals("none")) {
            layers.setTrainingWorkspaceMode(WorkspaceMode.NONE);
            layers.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        }
        if (threads > 1) {
            return parallelFits(layers, batches);
        }
        MultiLayerNetwork net = new FusedNetwork(layers); // the product's step, as NetworkFactory.create makes it
        net.init();

        Map<String, Double> micros = new LinkedHashMap<>();
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            micros.put("fit (whole step)", perStep(batches, net::fit));
            micros.put("gradient and score (forward + backward)", perStep(batches, b -> {
                net.setInput(b.getFeatures());
                net.setLabels(b.getLabels());
                net.computeGradientAndScore();
            }));
            micros.put("forward pass only (output)", perStep(batches, b -> net.output(b.getFeatures())));
            if (ManualStep.models(config)) {
                ManualStep manual = new ManualStep(net, config.training().learningRate() / 2);
                micros.put("the same SGD step as the fewest ND4J calls", perStep(batches, manual::step));
            }
            INDArray small = Nd4j.rand(DataType.FLOAT, 10, 30);
            micros.put("one near-empty native call (10x30 addi)", perStep(batches, b -> small.addi(1e-9f)));
            INDArray w = net.getLayer(0).getParam("W");
            INDArray out = Nd4j.create(DataType.FLOAT, config.training().batchSize(), w.columns());
            micros.put("the largest matrix product (batch x 784 by 784 x hidden)",
                    perStep(batches, b -> b.getFeatures().mmuli(w, out)));
        }
        // what caching an epoch's mini-batches would save: building them (the plan's shuffle, the pixel copy into
        // float arrays, the native arrays), per step; the second epoch's figure is taken (the first warms the JIT)
        double buildMicros = 0;
        for (int epoch = 2; epoch <= 3; epoch++) {
            long start = System.nanoTime();
            List<DataSet> built = LocalMnist.epochBatches(train, config, epoch, mnist.classes());
            buildMicros = (System.nanoTime() - start) / 1e3 / built.size();
        }
        micros.put("building one mini-batch (shuffled, copied, native arrays)", buildMicros);
        long allocated = allocatedBytes();
        double cpu = ProcessFacts.cpuSeconds();
        double fitMicros = perStep(batches, net::fit);
        double cpuPerStep = (ProcessFacts.cpuSeconds() - cpu) * 1e6 / batches.size();
        micros.put("fit (whole step)", fitMicros); // the warmest of the three measurements
        double bytesPerStep = (allocatedBytes() - allocated) / (double) batches.size();

        System.out.printf(Locale.ROOT, "%d steps of batch %d, %s, workspaces %s, helpers %s, periodic gc %s, "
                        + "ND4J build %s, OMP_NUM_THREADS %s%n",
                batches.size(), config.training().batchSize(), conf, workspaces, !noHelpers, !noPeriodicGc,
                io.mnistspark.model.NativeBuild.loaded(), System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
        micros.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-50s %8.1f us%n", k, v));
        System.out.printf(Locale.ROOT, "  %-50s %8.0f bytes%n", "Java heap allocated per fit step", bytesPerStep);
        System.out.printf(Locale.ROOT, "  %-50s %8.1f us (%.2f cores busy)%n", "process CPU per fit step, all threads",
                cpuPerStep, cpuPerStep / fitMicros);
        FitStepSamples samples = FitStepSamples.record(() -> perStep(batches, net::fit));
        System.out.printf(Locale.ROOT, "  where a fit step's %.1f us go (%d samples of the fitting thread, every 1 ms):%n",
                fitMicros, samples.total());
        for (FitStepSamples.Cost cost : FitStepSamples.Cost.values()) {
            System.out.printf(Locale.ROOT, "    %5.1f%%  %6.1f us  %s%n", 100 * samples.share(cost),
                    samples.share(cost) * fitMicros, cost.description);
        }
        if (ops) {
            OpProfiler.getInstance().reset();
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
            int n = Math.min(1000, batches.size());
            for (int i = 0; i < n; i++) {
                net.fit(batches.get(i));
            }
            Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
            System.out.printf(Locale.ROOT, "  ND4J operations per fit step: %.1f%n",
                    OpProfiler.getInstance().getInvocationsCount() / (double) n);
            System.out.println("  operations by class over " + n + " steps (count):");
            System.out.println(OpProfiler.getInstance().getOpCounter().asString());
            System.out.println("  time by class over " + n + " steps:");
            System.out.println(OpProfiler.getInstance().getClassAggergator().asString());
        }
        return 0;
    }

    /** Fit steps on {@code threads} threads at once, each with its own network: what one JVM's cores add up to. */
    private int parallelFits(MultiLayerConfiguration layers, List<DataSet> batches) {
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<List<DataSet>> ownBatches = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            MultiLayerNetwork copy = new FusedNetwork(layers.clone());
            copy.init();
            nets.add(copy);
            List<DataSet> copies = new ArrayList<>();
            batches.forEach(b -> copies.add(b.copy())); // each thread its own arrays, copied before the clock runs
            ownBatches.add(copies);
        }
        // warm-up with all threads, then 1 thread alone and all threads at once, on the same networks
        double[] stepsPerSecond = new double[threads + 1];
        for (int active : new int[]{threads, 1, threads}) {
            long start = System.nanoTime();
            double cpu = ProcessFacts.cpuSeconds();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < active; t++) {
                MultiLayerNetwork n = nets.get(t);
                List<DataSet> own = ownBatches.get(t);
                Thread thread = new Thread(() -> own.forEach(n::fit));
                thread.start();
                running.add(thread);
            }
            for (Thread thread : running) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            stepsPerSecond[active] = active * batches.size() / seconds;
            System.out.printf(Locale.ROOT, "%d thread(s) x %d fit steps in %.2f s: %.1f us per step per thread,"
                    + " %.0f steps/s in all, process CPU %.2f s%n", active, batches.size(), seconds,
                    seconds * 1e6 / batches.size(), stepsPerSecond[active], ProcessFacts.cpuSeconds() - cpu);
        }
        System.out.printf(Locale.ROOT, "%d threads give %.2fx the steps per second of one%n", threads,
                stepsPerSecond[threads] / stepsPerSecond[1]);
        return 0;
    }

    private static double perStep(List<DataSet> batches, java.util.function.Consumer<DataSet> step) {
        long start = System.nanoTime();
        for (DataSet batch : batches) {
            step.accept(batch);
        }
        return (System.nanoTime() - start) / 1e3 / batches.size();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * One SGD step of a 1-hidden-layer sigmoid network with the quadratic cost, written out with preallocated
     * arrays and ND4J calls, most in place (27 native calls), on copies of the network's parameters: how fast ND4J
     * can go when nothing but the math is executed.
     */
    private static final class ManualStep {
        private final INDArray w1;
        private final INDArray b1;
        private final INDArray w2;
        private final INDArray b2;
        private final double learningRate;
        private INDArray a1;
        private INDArray a2;
        private INDArray d1;
        private INDArray d2;
        private INDArray gw1;
        private INDArray gw2;
        private int rows = -1;

        /** The networks this step is written for: one sigmoid hidden layer, the quadratic cost, plain SGD. */
        static boolean models(RunConfig config) {
            return config.network().hiddenLayers().size() == 1
                    && config.network().activation() == io.mnistspark.config.HiddenActivation.SIGMOID
                    && config.network().outputActivation() == io.mnistspark.config.OutputActivation.SIGMOID
                    && config.network().loss() == io.mnistspark.config.Loss.QUADRATIC
                    && config.training().updater() == io.mnistspark.config.Updater.SGD
                    && config.training().l2() == 0 && config.training().dropout() == 0;
        }

        ManualStep(MultiLayerNetwork net, double learningRate) {
            w1 = net.getLayer(0).getParam("W").dup();
            b1 = net.getLayer(0).getParam("b").dup();
            w2 = net.getLayer(1).getParam("W").dup();
            b2 = net.getLayer(1).getParam("b").dup();
            this.learningRate = learningRate;
            gw1 = Nd4j.create(DataType.FLOAT, w1.shape());
            gw2 = Nd4j.create(DataType.FLOAT, w2.shape());
        }

        void step(DataSet batch) {
            INDArray x = batch.getFeatures();
            INDArray y = batch.getLabels();
            int m = (int) x.rows();
            if (m != rows) {
                rows = m;
                a1 = Nd4j.create(DataType.FLOAT, m, w1.columns());
                a2 = Nd4j.create(DataType.FLOAT, m, w2.columns());
                d1 = Nd4j.create(DataType.FLOAT, m, w1.columns());
                d2 = Nd4j.create(DataType.FLOAT, m, w2.columns());
            }
            x.mmuli(w1, a1).addiRowVector(b1);                        // 2
            Transforms.sigmoid(a1, false);                            // 1
            a1.mmuli(w2, a2).addiRowVector(b2);                       // 2
            Transforms.sigmoid(a2, false);                            // 1
            d2.assign(a2).subi(y);                                    // 2: a - y
            d2.muli(a2.rsub(1).muli(a2));                             // 3: (a - y) * a (1 - a)
            a1.transpose().mmuli(d2, gw2);                            // 1
            d2.mmuli(w2.transpose(), d1);                             // 1
            d1.muli(a1.rsub(1).muli(a1));                             // 3
            x.transpose().mmuli(d1, gw1);                             // 1
            double step = 2 * learningRate / m;
            w2.subi(gw2.muli(step));                                  // 2
            w1.subi(gw1.muli(step));                                  // 2
            b2.subi(d2.sum(0).muli(step));                            // 3
            b1.subi(d1.sum(0).muli(step));                            // 3
        }
    }
}
