package io.mnistspark.model;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.Map;

/**
 * Swaps a network's dense and output layer configurations for their fused training-time twins
 * ({@link FusedDenseLayer}, {@link FusedOutputLayer}) and back. The twins hold exactly the standard
 * configuration (the same JSON but for the class name) and the same parameters in the same layout; only the
 * runtime layer they build differs. A layer the fused code does not cover (layer norm, no bias, weight noise, an
 * activation or loss without a Java twin) keeps its standard configuration.
 */
public final class FusedLayers {
    private FusedLayers() {
    }

    /** A copy of {@code configuration} whose covered layers train fused. */
    public static MultiLayerConfiguration fused(MultiLayerConfiguration configuration) {
        MultiLayerConfiguration copy = configuration.clone();
        for (NeuralNetConfiguration layer : copy.getConfs()) {
            Layer conf = layer.getLayer();
            if (conf.getClass() == DenseLayer.class && covered((DenseLayer) conf)) {
                layer.setLayer(as(conf, FusedDenseLayer.class));
            } else if (conf.getClass() == OutputLayer.class && covered((OutputLayer) conf)) {
                layer.setLayer(as(conf, FusedOutputLayer.class));
            }
        }
        return copy;
    }

    /** A copy of {@code configuration} with only DL4J's standard layers: what model files hold. */
    public static MultiLayerConfiguration standard(MultiLayerConfiguration configuration) {
        MultiLayerConfiguration copy = configuration.clone();
        for (NeuralNetConfiguration layer : copy.getConfs()) {
            Layer conf = layer.getLayer();
            if (conf instanceof FusedDenseLayer) {
                layer.setLayer(as(conf, DenseLayer.class));
            } else if (conf instanceof FusedOutputLayer) {
                layer.setLayer(as(conf, OutputLayer.class));
            }
        }
        return copy;
    }

    /** True when any layer of {@code net} trains fused. */
    public static boolean isFused(MultiLayerNetwork net) {
        return net.getLayerWiseConfigurations().getConfs().stream()
                .anyMatch(c -> c.getLayer() instanceof FusedDenseLayer || c.getLayer() instanceof FusedOutputLayer);
    }

    /**
     * {@code net} as DL4J's standard layers, sharing its parameters (no copy) and its updater state: for writing
     * model files. {@code net} itself when it has no fused layer.
     */
    public static MultiLayerNetwork standard(MultiLayerNetwork net) {
        if (!isFused(net)) {
            return net;
        }
        MultiLayerNetwork plain = new MultiLayerNetwork(standard(net.getLayerWiseConfigurations()));
        plain.init(net.params(), false);
        Updater updater = net.getUpdater(false);
        if (updater != null) {
            plain.setUpdater(updater);
        }
        return plain;
    }

    /** DL4J's {@code Dropout} scales its input in place; other kinds (noise) are left to DL4J's layers. */
    private static boolean plainDropout(BaseLayer layer) {
        return layer.getIDropout() == null || layer.getIDropout().getClass() == Dropout.class;
    }

    private static boolean covered(DenseLayer layer) {
        return layer.hasBias() && !layer.hasLayerNorm() && layer.getWeightNoise() == null && plainDropout(layer)
                && Nonlinearity.of(layer.getActivationFn()) != null
                && Nonlinearity.of(layer.getActivationFn()) != Nonlinearity.SOFTMAX;
    }

    private static boolean covered(OutputLayer layer) {
        return layer.hasBias() && layer.getWeightNoise() == null && plainDropout(layer)
                && FusedLoss.of(layer.getLossFn(), layer.getActivationFn()) != null;
    }

    /** The same configuration as another class of the same fields, through DL4J's own JSON mapping. */
    private static Layer as(Layer layer, Class<? extends Layer> type) {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode tree = mapper.valueToTree(layer);
        tree.put("@class", type.getName());
        try {
            return mapper.treeToValue(tree, Layer.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot copy the configuration of layer " + layer.getLayerName()
                    + " as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** What DL4J's {@code instantiate} does after making the runtime layer. */
    static <L extends org.deeplearning4j.nn.api.Layer> L wire(L layer, BaseLayer conf, NeuralNetConfiguration net,
                                                              Collection<TrainingListener> listeners, int index,
                                                              INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = conf.initializer().init(net, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(net);
        return layer;
    }
}
