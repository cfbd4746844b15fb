package io.mnistspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A standard {@link DenseLayer} configuration, trained by {@link FusedDense}. It exists only while a network
 * trains: {@link FusedLayers#standard} turns it back into a {@code DenseLayer} before any model file is written.
 */
public class FusedDenseLayer extends DenseLayer {
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        Nonlinearity nonlinearity = Nonlinearity.of(getActivationFn());
        if (nonlinearity == null || nonlinearity == Nonlinearity.SOFTMAX) { // a configuration edited by hand
            return super.instantiate(conf, trainingListeners, layerIndex, layerParamsView, initializeParams,
                    networkDataType);
        }
        LayerValidation.assertNInNOutSet("DenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        FusedDense layer = new FusedDense(conf, networkDataType, nonlinearity);
        return FusedLayers.wire(layer, this, conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }
}
