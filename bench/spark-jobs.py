#!/usr/bin/env python3
"""Where the wall time of one Spark application went, from its event log (spark.eventLog.enabled=true).

    bench/spark-jobs.py EVENT_LOG

Prints the application's start, every job (its call site, wall seconds, tasks, summed task run time, CPU time,
deserialisation and GC time) and the gaps between jobs (driver-side work: listing, model loading, commits),
in the order they happened.
"""
import json
import sys

events = [json.loads(line) for line in open(sys.argv[1])]
app_start = next(e["Timestamp"] for e in events if e["Event"] == "SparkListenerApplicationStart")
app_end = next((e["Timestamp"] for e in events if e["Event"] == "SparkListenerApplicationEnd"), None)
jobs = {}
stage_job = {}
for e in events:
    kind = e["Event"]
    if kind == "SparkListenerJobStart":
        props = e.get("Properties") or {}
        site = props.get("callSite.short") or (e.get("Stage Infos") or [{}])[-1].get("Stage Name", "?")
        jobs[e["Job ID"]] = {"start": e["Submission Time"], "site": site, "tasks": 0, "run": 0, "cpu": 0,
                             "deser": 0, "gc": 0}
        for stage in e["Stage IDs"]:
            stage_job[stage] = e["Job ID"]
    elif kind == "SparkListenerJobEnd":
        jobs[e["Job ID"]]["end"] = e["Completion Time"]
    elif kind == "SparkListenerTaskEnd":
        job = jobs.get(stage_job.get(e["Stage ID"]))
        metrics = e.get("Task Metrics") or {}
        if job is not None:
            job["tasks"] += 1
            job["run"] += metrics.get("Executor Run Time", 0)
            job["cpu"] += metrics.get("Executor CPU Time", 0) / 1e6
            job["deser"] += metrics.get("Executor Deserialize Time", 0)
            job["gc"] += metrics.get("JVM GC Time", 0)
print("%-8s %-8s %-52s %6s %8s %8s %8s %6s" % ("at s", "wall s", "job (call site)", "tasks", "run s", "cpu s",
                                               "deser s", "gc s"))
last = app_start
for job_id in sorted(jobs):
    job = jobs[job_id]
    gap = (job["start"] - last) / 1000
    if gap > 0.05:
        print("%-8.2f %-8.2f %-52s" % ((last - app_start) / 1000, gap, "(driver, between jobs)"))
    end = job.get("end", job["start"])
    print("%-8.2f %-8.2f %-52s %6d %8.2f %8.2f %8.2f %6.2f" % (
        (job["start"] - app_start) / 1000, (end - job["start"]) / 1000, job["site"][:52], job["tasks"],
        job["run"] / 1000, job["cpu"] / 1000, job["deser"] / 1000, job["gc"] / 1000))
    last = max(last, end)
if app_end:
    print("%-8.2f %-8.2f %-52s" % ((last - app_start) / 1000, (app_end - last) / 1000, "(driver, to the end)"))
    print("application: %.2f s" % ((app_end - app_start) / 1000))
