package io.mnistspark.cli;

import io.mnistspark.TestSpark;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkRuntimeTest {

    @Test
    void localMastersRunTheirExecutorsInThisJvm() {
        for (String master : new String[]{"local", "local[2]", "local[*]", "local[2,3]"}) {
            assertTrue(SparkRuntime.inOneJvm(master), master);
        }
        for (String master : new String[]{"local-cluster[2,1,1024]", "yarn", "spark://host:7077", "k8s://https://host:6443"}) {
            assertFalse(SparkRuntime.inOneJvm(master), master);
        }
    }

    /** In local mode a round's large result is handed over in memory, not fetched back through the block manager. */
    @Test
    void localModeSendsLargeTaskResultsDirectly() {
        assertEquals(SparkRuntime.LOCAL_DIRECT_RESULT_SIZE,
                TestSpark.context().getConf().get("spark.task.maxDirectResultSize"));
    }
}
