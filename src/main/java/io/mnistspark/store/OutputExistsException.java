package io.mnistspark.store;

import io.mnistspark.UserException;

/** The output directory exists already and {@code --overwrite} was not given, or it cannot be written. */
public class OutputExistsException extends UserException {
    public OutputExistsException(String message) {
        super(message);
    }
}
