package io.mnistspark.train;

import io.mnistspark.RunFailedException;

/** The loss became NaN or infinite: training stopped (exit code 1, the configuration needs changing). */
public class TrainingDivergedException extends RunFailedException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
