package io.mnistspark.config;

import io.mnistspark.UserException;

/** A configuration value that is unknown, of the wrong type or out of range; the message names the key. */
public class InvalidConfigException extends UserException {
    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
