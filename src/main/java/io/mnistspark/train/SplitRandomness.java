package io.mnistspark.train;

import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.BaseTrainingMaster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.util.Random;

/**
 * The state of the random generator with which DL4J's training master splits every epoch's mini-batches
 * into averaging rounds ({@code BaseTrainingMaster.rng}, seeded once with {@code training.seed} and advanced
 * by every split). A resumed run restores it, so that its later epochs split exactly as an uninterrupted run
 * does. DL4J has no accessor for it: the field is read by reflection (DL4J 1.0.0-M2; a test checks it).
 */
public final class SplitRandomness {
    private static final Field RNG = rngField();

    private SplitRandomness() {
    }

    /** The generator's state as bytes (a serialized {@link Random}). */
    public static byte[] save(TrainingMaster<?, ?> master) {
        try {
            Random rng = (Random) RNG.get(master);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(rng);
            }
            return bytes.toByteArray();
        } catch (IllegalAccessException | IOException e) {
            throw new IllegalStateException("cannot read the split generator of " + master.getClass().getName(), e);
        }
    }

    /** Replaces the master's generator with one in the state {@link #save} recorded. */
    public static void restore(TrainingMaster<?, ?> master, byte[] state) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(state))) {
            Object rng = in.readObject();
            if (!(rng instanceof Random)) {
                throw new IllegalArgumentException("not a java.util.Random: " + rng.getClass().getName());
            }
            RNG.set(master, rng);
        } catch (IllegalAccessException | IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot restore the split generator of " + master.getClass().getName(), e);
        }
    }

    private static Field rngField() {
        try {
            Field field = BaseTrainingMaster.class.getDeclaredField("rng");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's BaseTrainingMaster has no field 'rng': resuming cannot restore "
                    + "the averaging splits with this DL4J version", e);
        }
    }
}
