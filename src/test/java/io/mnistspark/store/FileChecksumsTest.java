package io.mnistspark.store;

import io.mnistspark.TestSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileChecksumsTest {
    @TempDir
    Path dir;

    /** The job groups of the jobs Spark starts, in order (the listener bus delivers them in order, later). */
    private static final class JobGroups extends SparkListener {
        final List<String> groups = new CopyOnWriteArrayList<>();

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            groups.add(String.valueOf(job.properties().getProperty("spark.jobGroup.id")));
        }

        /** The groups of every job started before a marker job, once the listener has seen the marker. */
        List<String> upToMarker(JavaSparkContext sc) throws InterruptedException {
            String marker = "marker-" + System.nanoTime();
            sc.setJobGroup(marker, "marker", false);
            sc.parallelize(List.of(1), 1).count();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!groups.contains(marker) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(groups.contains(marker), "the listener saw the marker job");
            return List.copyOf(groups.subList(0, groups.indexOf(marker)));
        }
    }

    @Test
    void aDirectoryGetsNoEntryAndNoJobAFileIsHashedOnTheExecutors() throws Exception {
        JavaSparkContext sc = TestSpark.context();
        JobGroups jobs = new JobGroups();
        sc.sc().addSparkListener(jobs);
        try {
            Path file = Files.writeString(dir.resolve("input.bin"), "abc");
            sc.setJobGroup("checksums-directory", "a directory", false);
            assertEquals(Map.of(), FileChecksums.sha256OnExecutors(sc, Map.of("folder", dir.toUri().toString())));
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("folder", dir.toUri().toString());
            inputs.put("input.bin", file.toUri().toString());
            sc.setJobGroup("checksums-both", "a directory and a file", false);
            assertEquals(Map.of("input.bin", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                    FileChecksums.sha256OnExecutors(sc, inputs));
            List<String> groups = jobs.upToMarker(sc);
            assertEquals(0, groups.stream().filter("checksums-directory"::equals).count(), "no job for a directory: " + groups);
            assertEquals(1, groups.stream().filter("checksums-both"::equals).count(), "one job for the file: " + groups);
        } finally {
            sc.clearJobGroup();
            sc.sc().removeSparkListener(jobs);
        }
    }
}
