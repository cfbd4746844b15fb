package io.mnistspark;

/**
 * A run that could not finish for a reason the message explains completely (the loss diverged, no mirror
 * delivered a good file): the command line prints the message alone and exits with code 1.
 */
public class RunFailedException extends RuntimeException {
    public RunFailedException(String message) {
        super(message);
    }
}
