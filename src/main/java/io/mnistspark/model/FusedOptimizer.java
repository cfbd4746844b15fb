package io.mnistspark.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.optimize.solvers.StochasticGradientDescent;
import org.deeplearning4j.optimize.stepfunctions.NegativeGradientStepFunction;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Collection;

/**
 * DL4J's stochastic gradient descent step with the parameter update done by {@link ParameterUpdate} (one Java pass)
 * instead of DL4J's updater and subtraction (two native operations) when the network qualifies. Everything else is
 * {@code StochasticGradientDescent.optimize} as DL4J 1.0.0-M2 has it: the gradient and score, the listeners'
 * {@code iterationDone}, the iteration count and the constraints. Without a plan (see {@link ParameterUpdate#of})
 * or with a gradients accumulator, DL4J's own step runs.
 */
final class FusedOptimizer extends StochasticGradientDescent {
    private static final long serialVersionUID = 1L;

    private transient Updater planned;
    private transient ParameterUpdate update;
    private transient boolean fusedStep;
    private transient boolean deferred;
    /** Steps whose update {@link ParameterUpdate} applied (tests read it). */
    transient long fusedUpdates;

    FusedOptimizer(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, Model model) {
        super(conf, new NegativeGradientStepFunction(), listeners, model);
    }

    @Override
    public void updateGradientAccordingToParams(Gradient gradient, Model model, int batchSize,
                                                LayerWorkspaceMgr workspaceMgr) {
        deferred = fusedStep && update.covers(gradient.gradient());
        if (!deferred) {
            super.updateGradientAccordingToParams(gradient, model, batchSize, workspaceMgr);
        }
    }

    @Override
    public boolean optimize(LayerWorkspaceMgr workspaceMgr) {
        if (accumulator != null || plan() == null) {
            return super.optimize(workspaceMgr);
        }
        Pair<Gradient, Double> pair;
        fusedStep = true;
        deferred = false;
        try {
            pair = gradientAndScore(workspaceMgr);
        } finally {
            fusedStep = false;
        }
        int iteration = getIterationCount(model);
        int epoch = getEpochCount(model);
        if (deferred) {
            update.apply(iteration, epoch);
            fusedUpdates++;
        } else {
            stepFunction.step(model.params(), pair.getFirst().gradient());
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            for (TrainingListener listener : trainingListeners) {
                listener.iterationDone(model, iteration, epoch);
            }
        }
        incrementIterationCount(model, 1);
        applyConstraints(model);
        return true;
    }

    /** The update for the current updater, planned again whenever the network is given another updater. */
    private ParameterUpdate plan() {
        if (!(model instanceof MultiLayerNetwork net)) {
            return null;
        }
        Updater current = updater;
        if (current == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                current = getUpdater(); // made outside any workspace, as DL4J makes it
            }
        }
        if (current != planned) {
            planned = current;
            update = ParameterUpdate.of(net, current);
        }
        return update;
    }
}
