#!/usr/bin/env python3
"""Where the CPU samples of a Java Flight Recording fall: the top frames and the top project/library frames.

    bench/jfr-top.py RECORDING.jfr [N]

Reads `jfr print --events jdk.ExecutionSample` and prints, for the N (default 25) most frequent, the share of
samples whose innermost frame is a method, and the share whose stack contains a method of a package of
interest (io.mnistspark, ImageIO, Parquet, ND4J, Spark's row conversion, SHA-256, ...), by thread.
"""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", path], capture_output=True, text=True,
                      check=True).stdout
samples = text.split("jdk.ExecutionSample {")[1:]
frame_re = re.compile(r"^\s+([\w$./<>]+)\(", re.M)
thread_re = re.compile(r'sampledThread = "([^"]*)"')
leaf = collections.Counter()
inclusive = collections.Counter()
threads = collections.Counter()
for s in samples:
    frames = frame_re.findall(s.split("stackTrace = [", 1)[1]) if "stackTrace = [" in s else []
    thread = thread_re.search(s)
    name = thread.group(1) if thread else "?"
    threads[re.sub(r"\d+", "N", name)] += 1
    if frames:
        leaf[frames[0]] += 1
    for f in set(frames):
        inclusive[f] += 1
total = len(samples) or 1
print("%d samples (stacks are cut at 64 frames by default)" % len(samples))
print("\nthreads:")
for name, n in threads.most_common(8):
    print("  %5.1f%%  %s" % (100.0 * n / total, name))
print("\ninnermost frames:")
for name, n in leaf.most_common(top_n):
    print("  %5.1f%%  %s" % (100.0 * n / total, name))
print("\nframes anywhere on the stack (project and chosen libraries):")
keep = re.compile(r"io\.mnistspark|javax\.imageio|com\.sun\.imageio|parquet|nd4j\.linalg\.factory|MultiLayerNetwork\.output"
                  r"|CatalystTypeConverters|UnsafeProjection|VectorUDT|sha|MessageDigest|Inflater|GeneratedClass|"
                  r"createDataFrame|SerializerInstance|KryoSerializer|JavaSerializer|FileOutputCommitter|Files\.")
for name, n in inclusive.most_common():
    if keep.search(name) and n * 100 >= total:
        print("  %5.1f%%  %s" % (100.0 * n / total, name))
