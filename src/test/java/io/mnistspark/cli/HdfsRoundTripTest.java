package io.mnistspark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mnistspark.TestSpark;
import io.mnistspark.data.IdxFixtures;
import io.mnistspark.model.ModelStore;
import io.mnistspark.store.JsonFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage beyond the local disk: a real HDFS (Hadoop's MiniDFSCluster: a NameNode and a DataNode in this JVM,
 * talking HDFS RPC and the data transfer protocol over 127.0.0.1). The data is read from HDFS, the run
 * directory is written to HDFS, and the model is loaded back from HDFS by {@code evaluate} and by ModelStore.
 */
class HdfsRoundTripTest {
    @TempDir
    static java.nio.file.Path dir;

    private static MiniDFSCluster cluster;
    private static FileSystem hdfs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void trainsFromHdfsIntoHdfsAndLoadsTheModelBack() throws IOException {
        java.nio.file.Path local = IdxFixtures.writeDataset(dir.resolve("data"), IdxFixtures.learnable(600, 28, 28, 1),
                IdxFixtures.learnable(200, 28, 28, 2));
        hdfs.copyFromLocalFile(new Path(local.toUri()), new Path(root + "/mnist"));
        String data = root + "/mnist";
        String out = root + "/runs/r1";

        Cli train = Cli.run("train", "--data", data, "--out", out, "--epochs", "2",
                "--set", "training.validation-size=100", "--set", "network.hidden-layers=[16]");
        assertEquals(0, train.code(), train.toString());
        assertTrue(train.out().contains("Wrote " + out), train.out());
        for (String name : List.of("model.zip", "config.conf", "metrics.json", "epochs.csv", "_SUCCESS")) {
            assertTrue(hdfs.isFile(new Path(out, name)), name + " on HDFS");
        }
        assertFalse(hdfs.exists(new Path(out, "_temporary")));
        JsonNode metrics;
        try (InputStream in = hdfs.open(new Path(out, "metrics.json"))) {
            metrics = JsonFormat.mapper().readTree(in);
        }
        assertTrue(metrics.get("provenance").get("inputs").get("train-images-idx3-ubyte.gz").asText()
                .startsWith(root + "/mnist/"), metrics.get("provenance").toString());
        long correct = metrics.get("test").get("correct").asLong();
        assertTrue(metrics.get("test").get("accuracy").asDouble() > 0.5, "the fixture digits are learnable");

        MultiLayerNetwork loaded = ModelStore.load(new Path(out, "model.zip"),
                TestSpark.context().hadoopConfiguration(), 784, 10);
        assertEquals(784, ModelStore.inputSize(loaded));

        Cli evaluate = Cli.run("evaluate", "--model", out + "/model.zip", "--data", data, "--out", root + "/runs/eval");
        assertEquals(0, evaluate.code(), evaluate.toString());
        Matcher m = Pattern.compile("Test accuracy: (\\d+) / 200").matcher(evaluate.out());
        assertTrue(m.find(), evaluate.out());
        assertEquals(correct, Long.parseLong(m.group(1)), "the model read back from HDFS scores as in training");
        assertTrue(hdfs.isFile(new Path(root + "/runs/eval/evaluation.json")));

        Cli again = Cli.run("train", "--data", data, "--out", out, "--epochs", "1");
        assertEquals(2, again.code(), again.toString());
        assertTrue(again.err().contains("output directory exists already"), again.err());
        assertTrue(hdfs.isFile(new Path(out, "_SUCCESS")), "the finished run on HDFS is kept");
        assertTrue(Files.isDirectory(dir.resolve("hdfs")), "HDFS kept its blocks under the test's directory");
    }
}
