package io.mnistspark;

import io.mnistspark.model.NativeBuild;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** The test JVM picks the ND4J build its CPU runs before any test loads ND4J, as the product's JVMs do. */
public final class NativeBuildSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeBuild.select();
    }
}
