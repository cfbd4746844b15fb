package io.mnistspark.model;

/** Run in a JVM of its own by {@link NativeBuildTest}: selects, loads ND4J and prints the build it loaded. */
public final class NativeBuildProbe {
    private NativeBuildProbe() {
    }

    public static void main(String[] args) {
        NativeBuild.Level selected = NativeBuild.select();
        org.nd4j.linalg.factory.Nd4j.create(1);
        System.out.println("selected=" + selected.label() + " loaded=" + NativeBuild.loaded() + " blas="
                + NativeBuild.blasCore());
    }
}
