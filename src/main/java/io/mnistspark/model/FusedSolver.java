package io.mnistspark.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.Solver;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Collection;

/** DL4J's solver with a {@link FusedOptimizer} for stochastic gradient descent ({@link FusedNetwork} installs it). */
final class FusedSolver extends Solver {
    private final NeuralNetConfiguration conf;
    private final Model model;
    private Collection<TrainingListener> listeners;
    private ConvexOptimizer optimizer;

    FusedSolver(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, Model model) {
        this.conf = conf;
        this.model = model;
        this.listeners = new ArrayList<>(listeners == null ? java.util.List.of() : listeners);
    }

    @Override
    public ConvexOptimizer getOptimizer() {
        if (optimizer == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                optimizer = new FusedOptimizer(conf, listeners, model);
            }
        }
        return optimizer;
    }

    @Override
    public void setListeners(Collection<TrainingListener> listeners) {
        this.listeners = listeners;
        super.setListeners(listeners);
        if (optimizer != null) {
            optimizer.setListeners(listeners);
        }
    }
}
