package io.mnistspark.devyarn;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The configuration directory submit/dev-yarn.sh writes, read back as Hadoop clients (spark-submit) read it. */
class HadoopConfDirTest {
    @TempDir
    Path dir;

    @Test
    void clientsReadTheNameNodeAndTheResourceManagerFromIt() throws IOException {
        HadoopConfDir conf = new HadoopConfDir("127.0.0.1", 9010, 8132, 8130, 8131, 8133, 8188);
        Path confDir = dir.resolve("conf");
        conf.write(confDir);

        Configuration hadoop = new Configuration(false);
        for (String site : new String[] {"core-site.xml", "hdfs-site.xml", "yarn-site.xml"}) {
            hadoop.addResource(new org.apache.hadoop.fs.Path(confDir.resolve(site).toUri()));
        }
        assertEquals("hdfs://127.0.0.1:9010", hadoop.get("fs.defaultFS"));
        assertEquals("1", hadoop.get("dfs.replication"));
        assertEquals("127.0.0.1:8132", hadoop.get("yarn.resourcemanager.address"));
        assertEquals("127.0.0.1:8130", hadoop.get("yarn.resourcemanager.scheduler.address"));
        assertEquals("127.0.0.1:8131", hadoop.get("yarn.resourcemanager.resource-tracker.address"));
        assertEquals("127.0.0.1:8133", hadoop.get("yarn.resourcemanager.admin.address"));
        assertEquals("127.0.0.1:8188", hadoop.get("yarn.resourcemanager.webapp.address"));
    }

    @Test
    void rewritingReplacesTheFilesAndLeavesNoTemporaries() throws IOException {
        new HadoopConfDir("127.0.0.1", 9000, 8032, 8030, 8031, 8033, 8088).write(dir);
        new HadoopConfDir("127.0.0.1", 9001, 8032, 8030, 8031, 8033, 8088).write(dir);

        Configuration hadoop = new Configuration(false);
        hadoop.addResource(new org.apache.hadoop.fs.Path(dir.resolve("core-site.xml").toUri()));
        assertEquals("hdfs://127.0.0.1:9001", hadoop.get("fs.defaultFS"));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(file -> file.toString().endsWith(".tmp")));
        }
    }
}
