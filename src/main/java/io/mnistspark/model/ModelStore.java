package io.mnistspark.model;

import io.mnistspark.InvalidInputException;
import io.mnistspark.data.InputFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Saves and loads networks as DL4J {@link ModelSerializer} zip files on any Hadoop file system. */
public final class ModelStore {
    private ModelStore() {
    }

    /** Writes {@code net} with its updater state, so that training can continue from it. */
    public static void write(MultiLayerNetwork net, OutputStream out) throws IOException {
        write(net, out, true);
    }

    /**
     * Writes {@code net} (with its updater state if {@code withUpdater}) as DL4J's standard layers, whichever
     * implementation trained it ({@link FusedLayers}): every model file loads in plain DL4J.
     */
    public static void write(MultiLayerNetwork net, OutputStream out, boolean withUpdater) throws IOException {
        ModelSerializer.writeModel(FusedLayers.standard(net), out, withUpdater);
    }

    /**
     * Writes {@code net} as {@link #write(MultiLayerNetwork, OutputStream, boolean)} does, the same zip entries with
     * the same bytes, but stored rather than deflated: DL4J reads it back alike, and writing it takes a fraction of
     * the time (a network's floats hardly compress: 15.4 MB of {@code conf/best.conf}'s parameters and Adam state
     * deflate to 13.3 MB in 0.55-0.76 s). For checkpoints, written after every epoch.
     */
    public static void writeStored(MultiLayerNetwork net, OutputStream out, boolean withUpdater) throws IOException {
        MultiLayerNetwork standard = FusedLayers.standard(net);
        java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out);
        zip.setMethod(java.util.zip.ZipOutputStream.STORED);
        stored(zip, ModelSerializer.CONFIGURATION_JSON, standard.getLayerWiseConfigurations().toJson().getBytes(java.nio.charset.Charset.defaultCharset()));
        stored(zip, ModelSerializer.COEFFICIENTS_BIN, arrayBytes(standard.params()));
        if (withUpdater && standard.getUpdater() != null) {
            org.nd4j.linalg.api.ndarray.INDArray state = standard.getUpdater().getStateViewArray();
            if (state != null && state.length() > 0) {
                stored(zip, ModelSerializer.UPDATER_BIN, arrayBytes(state));
            }
        }
        zip.finish();
        zip.flush();
    }

    /** An array as ND4J writes it into a model file ({@code Nd4j.write}). */
    private static byte[] arrayBytes(org.nd4j.linalg.api.ndarray.INDArray array) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                array.length() * array.dataType().width() + 1024));
        java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(bytes, 1 << 16));
        org.nd4j.linalg.factory.Nd4j.write(array, out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void stored(java.util.zip.ZipOutputStream zip, String name, byte[] content) throws IOException {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(content);
        java.util.zip.ZipEntry entry = new java.util.zip.ZipEntry(name);
        entry.setMethod(java.util.zip.ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    /**
     * Loads and checks a model: it must be a DL4J MultiLayerNetwork zip whose input layer takes
     * {@code expectedInputs} values and whose output layer has {@code expectedClasses} units (any number when
     * {@code expectedClasses <= 0}: the model says how many classes it predicts).
     */
    public static MultiLayerNetwork load(Path path, Configuration hadoop, int expectedInputs, int expectedClasses) {
        MultiLayerNetwork net;
        try {
            try (InputStream in = new BufferedInputStream(InputFiles.open(path, hadoop, "a model.zip file"))) {
                net = ModelSerializer.restoreMultiLayerNetwork(in, false);
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(path + ": not a DL4J MultiLayerNetwork model zip (" + reason(e) + ")", e);
        } catch (org.apache.hadoop.fs.FSError e) {
            throw new InvalidInputException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
        long inputs = inputSize(net);
        if (expectedInputs > 0 && inputs != expectedInputs) {
            throw new InvalidInputException(path + ": the model takes " + inputs + " inputs, but the images have "
                    + expectedInputs + " pixels");
        }
        long outputs = net.layerSize(net.getnLayers() - 1);
        if (expectedClasses > 0 && outputs != expectedClasses) {
            throw new InvalidInputException(path + ": the model has " + outputs + " outputs, expected "
                    + expectedClasses + " classes");
        }
        return net;
    }

    /** The ModelSerializer bytes of {@code net} without updater state (what scoring needs). */
    public static byte[] bytes(MultiLayerNetwork net) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(net, out, false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads the whole model file (validated by {@link #restore}). */
    public static byte[] readBytes(Path path, Configuration hadoop) {
        try (InputStream in = InputFiles.open(path, hadoop, "a model.zip file")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read (" + reason(e) + ")", e);
        }
    }

    /** A network from ModelSerializer bytes; {@code source} names them in the message if they are not a model. */
    public static MultiLayerNetwork restore(byte[] bytes, String source) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new java.io.ByteArrayInputStream(bytes), false);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(source + ": not a DL4J MultiLayerNetwork model zip (" + reason(e) + ")", e);
        }
    }

    /** The classes the network predicts: its output layer's units. */
    public static int classes(MultiLayerNetwork net) {
        return (int) net.layerSize(net.getnLayers() - 1);
    }

    public static long inputSize(MultiLayerNetwork net) {
        return ((FeedForwardLayer) net.getLayer(0).conf().getLayer()).getNIn();
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        if (message != null && message.startsWith("Model wasnt found")) {
            return "it holds no network configuration and no coefficients";
        }
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }
}
