package io.mnistspark.train;

/** The loss became NaN or infinite: training stopped (exit code 1, the configuration needs changing). */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
