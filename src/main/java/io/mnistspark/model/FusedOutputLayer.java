package io.mnistspark.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A standard {@link OutputLayer} configuration, trained by {@link FusedOutput}. It exists only while a network
 * trains: {@link FusedLayers#standard} turns it back into an {@code OutputLayer} before any model file is written.
 */
public class FusedOutputLayer extends OutputLayer {
    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        FusedLoss loss = FusedLoss.of(getLossFn(), getActivationFn());
        if (loss == null) { // a configuration edited by hand
            return super.instantiate(conf, trainingListeners, layerIndex, layerParamsView, initializeParams,
                    networkDataType);
        }
        LayerValidation.assertNInNOutSet("OutputLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        FusedOutput layer = new FusedOutput(conf, networkDataType, Nonlinearity.of(getActivationFn()), loss);
        return FusedLayers.wire(layer, this, conf, trainingListeners, layerIndex, layerParamsView, initializeParams);
    }
}
