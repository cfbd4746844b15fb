package io.mnistspark.devyarn;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node YARN and HDFS on 127.0.0.1 for submit/dev-yarn.sh, from Hadoop's mini clusters
 * (hadoop-client-minicluster, test scope: never in the product jars): a NameNode and a DataNode, a
 * ResourceManager (FIFO scheduler) and one NodeManager whose containers are separate JVMs
 * (DefaultContainerExecutor). Writes the client configuration to DIR/conf once both are up, then runs until
 * it is terminated (a shutdown hook stops the NodeManager, which ends its containers, and HDFS).
 *
 * <pre>DevYarn --dir DIR [--host H] [--namenode-port P] [--rm-port P] [--web-port P] [--memory-mb M] [--vcores V]</pre>
 * The scheduler, resource-tracker and admin ports are rm-port - 2, - 1 and + 1 (8030, 8031, 8033 by default).
 */
public final class DevYarn {
    private DevYarn() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            System.err.println("error: DevYarn: YARN/HDFS failed to start: " + e);
            e.printStackTrace();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path dir = null;
        String host = "127.0.0.1";
        int nameNodePort = 9000;
        int rmPort = 8032;
        int webPort = 8088;
        int memoryMb = 12288;
        int vcores = 4;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--dir" -> dir = Path.of(value).toAbsolutePath();
                case "--host" -> host = value;
                case "--namenode-port" -> nameNodePort = number(args[i], value);
                case "--rm-port" -> rmPort = number(args[i], value);
                case "--web-port" -> webPort = number(args[i], value);
                case "--memory-mb" -> memoryMb = number(args[i], value);
                case "--vcores" -> vcores = number(args[i], value);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            usage("--dir is required");
        }
        HadoopConfDir client = new HadoopConfDir(host, nameNodePort, rmPort, rmPort - 2, rmPort - 1, rmPort + 1,
                webPort);

        Configuration hdfsConf = new Configuration();
        hdfsConf.set(DFSConfigKeys.DFS_NAMENODE_RPC_BIND_HOST_KEY, host);
        hdfsConf.set(DFSConfigKeys.DFS_DATANODE_ADDRESS_KEY, host + ":0");
        hdfsConf.set(DFSConfigKeys.DFS_DATANODE_HTTP_ADDRESS_KEY, host + ":0");
        hdfsConf.set(DFSConfigKeys.DFS_DATANODE_IPC_ADDRESS_KEY, host + ":0");
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(hdfsConf, dir.resolve("hdfs").toFile())
                .nameNodePort(nameNodePort).nameNodeHttpPort(0).numDataNodes(1).format(true)
                .checkDataNodeAddrConfig(true).build();
        hdfs.waitActive();

        YarnConfiguration yarnConf = new YarnConfiguration();
        client.coreSite().forEach(yarnConf::set);
        client.yarnSite().forEach(yarnConf::set);
        yarnConf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, true);
        yarnConf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_USE_RPC, true);
        yarnConf.set(YarnConfiguration.RM_SCHEDULER,
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        // The NodeManager's size: MiniYARNCluster reads it from its own key (4 GB by default).
        yarnConf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, memoryMb);
        yarnConf.setInt(YarnConfiguration.NM_PMEM_MB, memoryMb);
        yarnConf.setInt(YarnConfiguration.NM_VCORES, vcores);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, memoryMb);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_VCORES, vcores);
        // Containers are held to their physical memory, as on a real cluster; virtual memory is not checked.
        yarnConf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_CONTROL_RESOURCE_MONITORING, true);
        yarnConf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
        yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yarnConf.set("yarn.nodemanager.hostname", host);
        yarnConf.set(YarnConfiguration.NM_ADDRESS, host + ":0");
        yarnConf.set(YarnConfiguration.NM_LOCALIZER_ADDRESS, host + ":0");
        yarnConf.set(YarnConfiguration.NM_WEBAPP_ADDRESS, host + ":0");
        yarnConf.set(YarnConfiguration.NM_COLLECTOR_SERVICE_ADDRESS, host + ":0");
        yarnConf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.5f);
        // Each application's containers are removed when it ends; their logs stay under DIR/yarn.
        yarnConf.setBoolean(YarnConfiguration.LOG_AGGREGATION_ENABLED, false);

        // MiniYARNCluster keeps its local and log directories under ./target/NAME: the JVM runs in DIR.
        MiniYARNCluster yarn = new MiniYARNCluster("yarn", 1, 1, 1, 1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                yarn.stop();
                hdfs.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "dev-yarn-shutdown"));
        yarn.init(yarnConf);
        yarn.start();
        if (!yarn.waitForNodeManagersToConnect(60_000)) {
            throw new IllegalStateException("the NodeManager did not register with the ResourceManager in 60 s");
        }
        client.write(dir.resolve("conf"));
        Files.writeString(dir.resolve("ready"), client.defaultFs() + "\n");
        System.out.println("dev YARN ready: ResourceManager " + host + ":" + rmPort + ", web http://" + host + ":"
                + webPort + ", HDFS " + client.defaultFs() + ", NodeManager " + memoryMb + " MB x " + vcores
                + " vcores, work dir " + new File("target/yarn").getAbsolutePath());
        stopped.await();
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            usage(option + " " + value + ": not a number");
            return 0;
        }
    }

    private static void usage(String problem) {
        System.err.println("error: DevYarn: " + problem
                + " (usage: DevYarn --dir DIR [--host H] [--namenode-port P] [--rm-port P] [--web-port P]"
                + " [--memory-mb M] [--vcores V])");
        System.exit(2);
    }
}
