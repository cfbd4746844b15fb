package io.mnistspark.cli;

/**
 * Initialises classes whose first use is slow on a daemon thread, so that a short command finds them ready:
 * while the main thread checks the model (ND4J's start-up, one core), the second core runs the static
 * initialisers the Spark job would otherwise run cold in its first task. Whatever a warm-up throws is dropped:
 * the command's own use of the same code meets it and reports it (a class whose static initialiser failed
 * here fails there with this first error as its cause, so warm-ups stay away from code that depends on the
 * environment, such as native libraries).
 */
final class ClassWarmUp {
    /** Scala's runtime reflection, started by Catalyst's first row converter: 0.3-0.5 s of a cold task. */
    static final String SCALA_REFLECTION = "org.apache.spark.sql.catalyst.ScalaReflection$";

    private ClassWarmUp() {
    }

    /**
     * Starts initialising {@code classNames} on a daemon thread. Join it with {@link #await} before the main
     * thread can reach the same classes: two threads initialising Scala objects that refer to each other from
     * opposite ends can deadlock.
     */
    static Thread start(String... classNames) {
        ClassLoader loader = ClassWarmUp.class.getClassLoader();
        return run("class warm-up", () -> {
            for (String name : classNames) {
                try {
                    Class.forName(name, true, loader);
                } catch (ReflectiveOperationException | LinkageError ignored) {
                    // the command's own use of the class fails or succeeds as it would have
                }
            }
        });
    }

    /** Starts {@code work} on a daemon thread; whatever it throws is left to the command's own use to meet. */
    static Thread run(String name, Runnable work) {
        Thread thread = new Thread(() -> {
            try {
                work.run();
            } catch (Throwable ignored) { // nothing printed: the command's own use fails or succeeds as it would have
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for the warm-up to end (it takes a fraction of a second). */
    static void await(Thread warmUp) {
        try {
            warmUp.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
