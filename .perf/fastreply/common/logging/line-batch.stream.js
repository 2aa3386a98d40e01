"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LineBatchStream = void 0;
/**
 * Collects the log lines written during one turn of the event loop and hands them to the
 * destination as one chunk, at the end of that turn (setImmediate) or as soon as `maxChars` are
 * waiting. A line is therefore out within the same turn it was logged in, while a busy server
 * writes a few large chunks instead of one per line: SonicBoom re-measures the byte length of
 * its whole pending buffer on every write it receives, which made small writes cost more than
 * formatting the line.
 */
class LineBatchStream {
    target;
    maxChars;
    lines = [];
    chars = 0;
    scheduled = false;
    constructor(target, maxChars = 16_384) {
        this.target = target;
        this.maxChars = maxChars;
    }
    write(line) {
        this.lines.push(line);
        this.chars += line.length;
        if (this.chars >= this.maxChars)
            this.flush();
        else if (!this.scheduled) {
            this.scheduled = true;
            setImmediate(this.endOfTurn);
        }
        return true;
    }
    /** Hands every waiting line to the destination now. */
    flush() {
        if (this.lines.length === 0)
            return;
        const chunk = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
        this.lines = [];
        this.chars = 0;
        this.target.write(chunk);
    }
    /** Flushes, then has the destination write everything it holds before returning (process exit). */
    flushSync() {
        this.flush();
        this.target.flushSync?.();
    }
    endOfTurn = () => {
        this.scheduled = false;
        this.flush();
    };
}
exports.LineBatchStream = LineBatchStream;
//# sourceMappingURL=line-batch.stream.js.map