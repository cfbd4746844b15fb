package io.mnistspark.config;

/** The {@code checkpoint} section: write a checkpoint every {@code every} epochs, keep the newest {@code keep}. */
public record CheckpointSpec(int every, int keep) {
}
