package io.mnistspark;

/**
 * A problem the user can fix: a bad path, a corrupt file, a bad configuration value, an existing output.
 * Its message is one line naming the file or key, what is wrong and what was expected; the command line
 * prints it without a stack trace and exits with code 2.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
