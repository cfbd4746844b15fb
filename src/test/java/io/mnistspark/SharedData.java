package io.mnistspark;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data sets in {@code ../shared/data}. Tests that need one skip on a machine without it, but fail
 * under CI ({@code CI=true}), where a missing data set must not pass as green.
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path require(String name) {
        Path dir = Path.of("..", "shared", "data", name).toAbsolutePath().normalize();
        boolean present = Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"));
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but the data set " + dir + " is missing");
            }
            Assumptions.abort("data set " + dir + " is not on this machine");
        }
        return dir;
    }
}
