"""What every example script ends with: print the lines the program printed, and with
--json, write them with the losses the tests compare (scripts/record-examples.py)."""
import json


def report(lines, json_path, losses, extras=(), sample=""):
    for line in lines:
        print(line)
    if json_path:
        with open(json_path, "w") as f:
            json.dump({"losses": list(losses), "extras": list(extras), "sample": sample, "lines": lines}, f, indent=1)
