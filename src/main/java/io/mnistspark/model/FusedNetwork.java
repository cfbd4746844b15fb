package io.mnistspark.model;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DL4J {@code MultiLayerNetwork} whose training step does the parameter update in one Java pass
 * ({@link ParameterUpdate}) when its layers are fused and its updater is plain SGD or Adam; otherwise exactly
 * DL4J's. Only the solver differs: the configuration, parameters, updater state, listeners and model files are
 * DL4J's. Every network the product trains is one ({@link NetworkFactory#create}, and Spark's workers through
 * {@link #of}), so the CLI, the Spark ML API, the benchmarks and the single-process comparisons step alike.
 */
public final class FusedNetwork extends MultiLayerNetwork {
    public FusedNetwork(MultiLayerConfiguration conf) {
        super(conf);
    }

    /**
     * The same network as {@code plain} (its configuration object, parameter array, updater state and
     * listeners, none of them copied), stepping as a fused network. {@code plain} is not to be used afterwards.
     */
    public static FusedNetwork of(MultiLayerNetwork plain) {
        if (plain instanceof FusedNetwork fused) {
            return fused;
        }
        FusedNetwork net = new FusedNetwork(plain.getLayerWiseConfigurations());
        net.init(plain.params(), false);
        Updater updater = plain.getUpdater(false);
        if (updater != null && updater.getStateViewArray() != null) {
            net.setUpdater(new MultiLayerUpdater(net, updater.getStateViewArray()));
        }
        net.setListeners(plain.getListeners());
        return net;
    }

    @Override
    public void init(INDArray parameters, boolean cloneParametersArray) {
        installSolver();
        super.init(parameters, cloneParametersArray);
    }

    @Override
    public void fit(INDArray features, INDArray labels, INDArray featuresMask, INDArray labelsMask) {
        installSolver();
        super.fit(features, labels, featuresMask, labelsMask);
    }

    @Override
    public Updater getUpdater(boolean initializeIfRequired) {
        if (initializeIfRequired) {
            installSolver();
        }
        return super.getUpdater(initializeIfRequired);
    }

    @Override
    public void setUpdater(Updater updater) {
        installSolver();
        super.setUpdater(updater);
    }

    /** DL4J's {@code clear()} drops the solver; the fused one comes back at once, before any fit can make DL4J's. */
    @Override
    public void clear() {
        super.clear();
        installSolver();
    }

    /** Where DL4J would make its own solver (none yet, or {@code clear()} dropped it), the fused one. */
    private void installSolver() {
        if (solver == null && conf().getStepFunction() == null
                && conf().getOptimizationAlgo() == OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT) {
            solver = new FusedSolver(conf(), getListeners(), this);
        }
    }
}
