package io.mnistspark.store;

import io.mnistspark.UserException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLockTest {
    @TempDir
    java.nio.file.Path dir;

    private FileSystem fs() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        fs.setWriteChecksum(false);
        return fs;
    }

    @Test
    void ofRunsStartedAtTheSameMomentExactlyOneGetsTheDirectory() throws Exception {
        FileSystem fs = fs();
        Path out = new Path(dir.resolve("out").toUri());
        fs.mkdirs(out);
        int runs = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            results.add(pool.submit(() -> {
                start.await();
                try {
                    RunLock.acquire(fs, out, line -> { });
                    return "held";
                } catch (UserException e) {
                    return e.getMessage();
                }
            }));
        }
        start.countDown();
        int held = 0;
        for (Future<String> result : results) {
            String outcome = result.get();
            if (outcome.equals("held")) {
                held++;
            } else {
                assertTrue(outcome.contains(": in use by the run of pid " + ProcessHandle.current().pid()), outcome);
            }
        }
        pool.shutdown();
        assertEquals(1, held);
    }

    @Test
    void aDeadRunsLockOnThisHostIsTakenOverWithAWarningAndReleasedAtTheEnd() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        java.nio.file.Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(RunLock.NAME), "host=" + RunLock.thisHost() + "\npid=" + gone.pid()
                + "\nstarted=2026-12-01T10\\:00\\:00Z\n");
        List<String> warnings = new ArrayList<>();
        RunLock lock = RunLock.acquire(fs(), new Path(out.toUri()), warnings::add);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).matches("warning: .*out/?: taking over the lock of the run of pid " + gone.pid()
                + " on .+ started 2026-12-01T10:00:00Z, which is no longer running"), warnings.get(0));
        assertTrue(Files.readString(out.resolve(RunLock.NAME)).contains("pid=" + ProcessHandle.current().pid()));
        lock.release();
        assertFalse(Files.exists(out.resolve(RunLock.NAME)));
    }

    @Test
    void aLiveRunIsNamedAndItsLockLeftAlone() throws Exception {
        java.nio.file.Path out = Files.createDirectories(dir.resolve("out"));
        String content = "host=" + RunLock.thisHost() + "\npid=1\nstarted=2026-12-01T10\\:00\\:00Z\n";
        Files.writeString(out.resolve(RunLock.NAME), content);
        String message = assertThrows(UserException.class, () -> RunLock.acquire(fs(), new Path(out.toUri()),
                line -> { })).getMessage();
        assertTrue(message.matches(".*out/?: in use by the run of pid 1 on " + RunLock.thisHost()
                + " started 2026-12-01T10:00:00Z .*"), message);
        assertEquals(content, Files.readString(out.resolve(RunLock.NAME)));
    }
}
