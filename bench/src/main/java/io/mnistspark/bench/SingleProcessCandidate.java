package io.mnistspark.bench;

import io.mnistspark.config.RunConfig;
import io.mnistspark.data.Batches;
import io.mnistspark.data.LabeledImages;
import io.mnistspark.model.NetworkFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The same network and the same mini-batches as the pipeline with one worker, fitted by plain DL4J
 * {@code MultiLayerNetwork.fit} in one process: no Spark.
 */
final class SingleProcessCandidate {
    private SingleProcessCandidate() {
    }

    static BenchRun run(RunConfig config, String configName, Path data) {
        Nd4j.create(1); // loads the native backend, counted as start-up like Spark's context is
        double startup = ProcessFacts.wallSeconds();
        long setupStart = System.nanoTime();
        LocalMnist mnist = LocalMnist.read(data, config, new Configuration());
        LabeledImages train = mnist.train();
        int classes = mnist.classes();
        List<DataSet> test = inOrder(mnist.test(), config.spark().evaluationBatchSize(), classes);
        MultiLayerNetwork net = NetworkFactory.create(config.network(), config.training(), train.pixelsPerImage(),
                classes);
        double setup = ProcessFacts.secondsSince(setupStart);

        List<BenchRun.Epoch> epochs = new ArrayList<>();
        for (int epoch = 1; epoch <= config.training().epochs(); epoch++) {
            long start = System.nanoTime();
            double cpu = ProcessFacts.cpuSeconds();
            NetworkFactory.applyLearningRate(net, config.network(), config.training(), epoch);
            Iterator<DataSet> batches = LocalMnist.epochBatches(train, config, epoch, classes).iterator();
            while (batches.hasNext()) {
                net.fit(batches.next());
            }
            double fit = ProcessFacts.secondsSince(start);
            double fitCpu = ProcessFacts.cpuSeconds() - cpu;
            long evaluationStart = System.nanoTime();
            Evaluation evaluation = net.evaluate(new ListDataSetIterator<>(test));
            epochs.add(new BenchRun.Epoch(epoch, fit, fitCpu, ProcessFacts.secondsSince(evaluationStart),
                    evaluation.accuracy(), ProcessFacts.wallSeconds()));
        }
        return new BenchRun("dl4j-single-process", configName, data.toString(), 1, train.count(), startup, setup,
                epochs, ProcessFacts.peakRssMb(), ProcessFacts.loadAverage());
    }

    private static List<DataSet> inOrder(LabeledImages images, int batchSize, int classes) {
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < images.count(); from += batchSize) {
            batches.add(Batches.toDataSet(images, null, from, Math.min(images.count(), from + batchSize), classes));
        }
        return batches;
    }
}
