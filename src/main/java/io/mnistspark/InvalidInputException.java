package io.mnistspark;

/** An input file or directory that is missing, unreadable, corrupt or inconsistent; the message names it. */
public class InvalidInputException extends UserException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
