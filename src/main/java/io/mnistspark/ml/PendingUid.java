package io.mnistspark.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Hands a uid to a Spark ML stage written in Java before its Scala superclass needs it. Spark's shared
 * params ({@code featuresCol}, ...) are created in the superclass constructor and read {@code uid()} there,
 * before the Java subclass's fields are assigned; so a constructor stashes the uid here (per thread) and
 * {@code uid()} takes it on its first call.
 */
final class PendingUid {
    private static final ThreadLocal<String> NEXT = new ThreadLocal<>();

    /** A marker type for the constructor that receives a stashed uid. */
    static final class Token {
        private Token() {
        }
    }

    private PendingUid() {
    }

    /** Stashes {@code uid} (null: a random one will be made) for the stage being constructed. */
    static Token stash(String uid) {
        NEXT.set(uid);
        return new Token();
    }

    /** The stashed uid, or a new random one with {@code prefix}; clears the stash. */
    static String take(String prefix) {
        String uid = NEXT.get();
        NEXT.remove();
        return uid != null ? uid : Identifiable$.MODULE$.randomUID(prefix);
    }
}
