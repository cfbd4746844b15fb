package io.mnistspark.devyarn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hadoop configuration directory a client needs to reach the dev YARN/HDFS: core-site.xml (the HDFS
 * NameNode), hdfs-site.xml (one replica) and yarn-site.xml (the ResourceManager's addresses), all on 127.0.0.1.
 * This is what HADOOP_CONF_DIR points spark-submit at.
 */
public record HadoopConfDir(String host, int nameNodePort, int resourceManagerPort, int schedulerPort,
                            int resourceTrackerPort, int adminPort, int webPort) {

    /** fs.defaultFS: hdfs://HOST:PORT */
    public String defaultFs() {
        return "hdfs://" + host + ":" + nameNodePort;
    }

    public Map<String, String> coreSite() {
        Map<String, String> site = new LinkedHashMap<>();
        site.put("fs.defaultFS", defaultFs());
        return site;
    }

    public Map<String, String> hdfsSite() {
        Map<String, String> site = new LinkedHashMap<>();
        site.put("dfs.replication", "1");
        return site;
    }

    public Map<String, String> yarnSite() {
        Map<String, String> site = new LinkedHashMap<>();
        site.put("yarn.resourcemanager.hostname", host);
        site.put("yarn.resourcemanager.address", host + ":" + resourceManagerPort);
        site.put("yarn.resourcemanager.scheduler.address", host + ":" + schedulerPort);
        site.put("yarn.resourcemanager.resource-tracker.address", host + ":" + resourceTrackerPort);
        site.put("yarn.resourcemanager.admin.address", host + ":" + adminPort);
        site.put("yarn.resourcemanager.webapp.address", host + ":" + webPort);
        return site;
    }

    /** Writes the three files into {@code dir} (created if missing), each replaced atomically. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        writeSite(dir.resolve("core-site.xml"), coreSite());
        writeSite(dir.resolve("hdfs-site.xml"), hdfsSite());
        writeSite(dir.resolve("yarn-site.xml"), yarnSite());
    }

    private static void writeSite(Path file, Map<String, String> properties) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<!-- written by submit/dev-yarn.sh start: the dev YARN/HDFS on this machine -->\n")
                .append("<configuration>\n");
        properties.forEach((name, value) -> xml.append("  <property><name>").append(escape(name))
                .append("</name><value>").append(escape(value)).append("</value></property>\n"));
        xml.append("</configuration>\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, xml);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
