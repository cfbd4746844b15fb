package io.mnistspark.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.io.ObjectInputStream;

/**
 * DL4J's Spark training asks for its time source ({@code TimeSourceProvider}) on the driver and on every
 * executor, and the default one queries NTP servers, which fails where there is no internet. This selects the
 * system clock on the driver ({@link #select()}) and, as a training hook that travels inside every worker task,
 * on each executor as the task is deserialised there, before DL4J asks. A time source chosen explicitly
 * (the system property set) is kept.
 */
final class SystemClock implements TrainingHook {
    private static final long serialVersionUID = 1L;
    static final String PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";

    /** Selects the system clock in this JVM unless a time source was chosen. */
    static void select() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, SYSTEM_CLOCK);
        }
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        select();
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
