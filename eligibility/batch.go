package eligibility

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/onestop-jp/onestop/civil"
)

// Batch screens many households on one date on several goroutines — a
// municipality's whole population at night, or a population under a reform
// — and gives the results back one by one, in input order, with a bounded
// number of households in memory whatever the input's size.
//
// Configure it with its fields (the zero value of each is a sensible
// default), then range over Screen (households built in Go) or ScreenJSON
// (a stream of JSON, decoded on the workers):
//
//	b := eligibility.Batch{Engine: engine, AsOf: date, Render: engine.AppendJSON}
//	for r, err := range b.ScreenJSON(ctx, file, "households.jsonl") {
//		if err != nil { … the batch stopped: ctx done, or the input could not be read }
//		if r.Err != nil { … this household could not be screened; the batch goes on }
//		os.Stdout.Write(r.Output)
//	}
//
// A Batch may be used for several runs, one after another or at once.
type Batch struct {
	// Engine screens the households. Required.
	Engine *Engine
	// AsOf is the date the households are screened for. Required.
	AsOf civil.Date
	// Options apply to every household (WithExplanations, OnlyPrograms).
	Options []ScreenOption
	// Workers is the number of households screened at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Window bounds the households read but not yet handed to the loop
	// (being decoded, screened, or waiting for an earlier one); 0 means
	// 64 per worker. Memory stays proportional to it (a household in
	// flight is some 25 KB). A wide window keeps the workers busy while the
	// loop or the reader waits for a processor: at 2 workers on 2 cores,
	// 64 per worker kept 1.86–1.91 processors busy where 16 kept 1.82–1.84.
	Window int
	// Compare, when set, is a second rule set each household is also
	// screened with, on the same worker (BatchResult.Compared): a reform
	// against the rules in force, for the impact of the reform.
	Compare *Engine
	// Render, when set, is called on the worker for each screening (as
	// Engine.AppendJSON or a table writer) and what it appends to dst is in
	// BatchResult.Output, so that writing the results costs the loop
	// nothing but a copy. dst may hold an earlier result's bytes: append.
	Render func(dst []byte, s *Screening) []byte
	// Reuse makes a result's Household, Screening and Compared valid only
	// until the loop moves on to the next result, like Output: their memory
	// is reused for a later household (each worker's job keeps a household
	// block and a screening), which spares the collector most of the ~15 KB
	// a household otherwise allocates. For a loop that writes or reads each
	// result at once (onestop screen); a loop that keeps results must not
	// set it.
	Reuse bool
}

// BatchResult is one household's result, in input order.
type BatchResult struct {
	// Index is the household's 0-based position in the input (a record
	// that could not be read counts).
	Index int
	// Household is the household screened; nil when it could not be read.
	Household *Household
	// Screening is the result; nil when Err is set.
	Screening *Screening
	// Compared is the result under Batch.Compare, when it is set; nil when
	// Err is set.
	Compared *Screening
	// Err is why this household has no screening: a *FactsError for a
	// record that could not be read (with its source, record number, and
	// line:col) or facts Screen refuses (a member born after AsOf), or
	// ErrNoApplicant, ErrTooLarge. The batch goes on.
	Err error
	// Output is what Batch.Render wrote for the screening. It is valid
	// until the loop moves on to the next result: copy it to keep it.
	Output []byte
	// Offset is, for ScreenJSON, the number of bytes of the input read up
	// to the end of this household's record (for progress).
	Offset int64
}

// ErrBatchConfig is wrapped by the error a batch stops with at once when it
// is not configured (no Engine, no AsOf).
var ErrBatchConfig = errors.New("eligibility: batch not configured")

// Screen screens the households of hs in order. The loop gets one result
// per household, in input order; the error of the loop's second value is
// non-nil only once, last, when the batch stops before the end: ctx is
// done (the error wraps ctx.Err()) or the batch is not configured.
//
// hs is called on another goroutine, concurrently with the loop's body,
// and is told to stop (its yield returns false) when the loop stops early;
// it must not share unsynchronised state with the loop's body.
func (b *Batch) Screen(ctx context.Context, hs iter.Seq[*Household]) iter.Seq2[BatchResult, error] {
	return b.run(ctx, func(p *batchProducer) error {
		index := 0
		for h := range hs {
			j := p.job()
			j.index, j.h = index, h
			if _, ok := p.emit(j); !ok {
				return nil
			}
			index++
		}
		return nil
	})
}

// ScreenJSON reads households from r — one household, a JSON array of
// households, or JSON Lines — and screens them in order; source names the
// input in error messages (a file name). The records are decoded on the
// workers, with DecodeHousehold's checks and positioned Japanese errors;
// a record that cannot be read is a result with a *FactsError and, in JSON
// Lines, the records after it are still read (a broken element of a
// top-level array ends the input, as for HouseholdReader). The loop's
// error is non-nil only once, last, when the batch stops before the end:
// ctx is done, r fails (an error other than io.EOF), or the batch is not
// configured.
//
// When the loop stops early, no more is read from r; a Read in progress is
// not interrupted (the reading goroutine ends when it returns).
//
// The reader does not find where each record of JSON Lines ends: it cuts
// the input at newlines, and the worker decoding a line finds out whether
// it holds exactly one record; when it does not (a record over several
// lines, several on one line, a syntax error), the reader goes back to
// that line and reads on exactly, as HouseholdReader does: the results
// are the same, and reading costs next to nothing.
func (b *Batch) ScreenJSON(ctx context.Context, r io.Reader, source string) iter.Seq2[BatchResult, error] {
	return b.run(ctx, func(p *batchProducer) error {
		hr := NewHouseholdReader(r, source)
		hr.speculateLines()
		index := 0
		for {
			hr.s.Forget(p.confirmed.Load())
			rec, err := hr.nextRecord()
			var back *batchRewind
			if err == io.EOF {
				if back = p.end(); back == nil {
					return nil
				}
			} else {
				j := p.job()
				j.index, j.offset = index, hr.s.Offset()
				var fe *FactsError
				switch {
				case err == nil:
					j.rec, j.hasRec = rec, true
				case errors.As(err, &fe):
					j.err = err
				default:
					return fmt.Errorf("%s を読めません: %w", displaySource(source), err)
				}
				var ok bool
				if back, ok = p.emit(j); !ok {
					return nil
				}
			}
			if back == nil {
				index++
				continue
			}
			if err := hr.rewind(back.rec); err != nil {
				return err
			}
			index = back.index
		}
	})
}

func displaySource(source string) string {
	if source == "" {
		return "入力"
	}
	return source
}

// batchJob is one household on its way through the workers.
type batchJob struct {
	index  int
	offset int64
	h      *Household      // given
	rec    householdRecord // or to decode (hasRec)
	hasRec bool
	err    error // or already known to be unreadable

	epoch    int  // the producer's rewinds before it (ScreenJSON)
	sentinel bool // not a household: the producer is at the end of the input
	resync   bool // the record was not one value on its line: rewind to it

	res   BatchResult
	ends  bool  // the input ends after this record (a broken array element)
	fatal error // the batch stops here (ctx done)
	out   []byte
	done  chan struct{}
	mem   *batchMem // Batch.Reuse: kept from one household to the next
}

// batchMem is what a job reuses from one household to the next when the
// batch reuses memory (Batch.Reuse): the block its households are decoded
// into, and the memory of its screenings (and of the compared ones), with
// the options that lend them.
type batchMem struct {
	blk           householdBlock
	screen, cmp   screenMem
	opts, cmpOpts []ScreenOption
}

func (b *Batch) newMem() *batchMem {
	m := &batchMem{}
	with := func(sm *screenMem) []ScreenOption {
		return append(slices.Clip(b.Options), func(o screenOpts) screenOpts {
			o.mem = sm
			return o
		})
	}
	m.opts, m.cmpOpts = with(&m.screen), with(&m.cmp)
	return m
}

func (b *Batch) config() (workers, window int, err error) {
	if b.Engine == nil {
		return 0, 0, fmt.Errorf("%w: Engine is nil", ErrBatchConfig)
	}
	if b.AsOf.IsZero() {
		return 0, 0, fmt.Errorf("%w: AsOf is required", ErrBatchConfig)
	}
	workers = b.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	window = b.Window
	if window <= 0 {
		window = 64 * workers
	}
	return workers, max(window, workers), nil
}

// batchProducer is what the producing goroutine of a batch uses: job
// makes a job, emit hands it on in input order, end waits at the end of
// the input.
type batchProducer struct {
	job func() *batchJob
	// emit returns false when the batch stops; a rewind when the loop asks
	// the producer to go back to an earlier record (j is then dropped, as
	// are the records emitted after that one).
	emit func(j *batchJob) (*batchRewind, bool)
	// end waits until the loop has taken every record emitted (nil), or
	// asks for a rewind.
	end func() *batchRewind
	// confirmed is the offset after the last record the loop has taken:
	// no rewind goes before it.
	confirmed atomic.Int64
}

// batchRewind is the record a producer goes back to.
type batchRewind struct {
	index int
	rec   householdRecord
}

// run is the pipeline: produce feeds jobs in input order on its own
// goroutine; workers screen them; the loop takes them back in order. A
// job the worker found to be a resync sends the producer back to it: the
// loop drops the jobs emitted after it (an earlier epoch).
func (b *Batch) run(parent context.Context, produce func(p *batchProducer) error) iter.Seq2[BatchResult, error] {
	return func(yield func(BatchResult, error) bool) {
		workers, window, err := b.config()
		if err != nil {
			yield(BatchResult{}, err)
			return
		}
		ctx, cancel := context.WithCancel(parent)
		defer cancel()

		order := make(chan *batchJob, window)  // the loop takes jobs in input order from here
		jobs := make(chan *batchJob, window+1) // the workers, in any order
		free := make(chan *batchJob, window+workers+2)
		// At most one rewind is on its way: the next can only come from a
		// job emitted after the producer took it.
		rewind := make(chan batchRewind, 1)
		finish := make(chan struct{})
		var produceErr error
		cut := false // the producer stopped before the end of the input
		p := &batchProducer{}
		epoch := 0 // the producer's
		p.job = func() *batchJob {
			select {
			case j := <-free: // a finished job, with its buffers
				return j
			default:
				return &batchJob{done: make(chan struct{}, 1)}
			}
		}
		p.emit = func(j *batchJob) (*batchRewind, bool) {
			j.epoch = epoch
			select {
			case order <- j:
			case back := <-rewind:
				epoch++
				return &back, true
			case <-ctx.Done():
				cut = true
				return nil, false
			}
			// Every job in jobs is in order or is the one the loop
			// waits for: jobs has room.
			jobs <- j
			return nil, true
		}
		p.end = func() *batchRewind {
			select {
			case order <- &batchJob{epoch: epoch, sentinel: true}:
			case back := <-rewind:
				epoch++
				return &back
			case <-ctx.Done():
				return nil
			}
			select {
			case back := <-rewind:
				epoch++
				return &back
			case <-finish:
			case <-ctx.Done():
			}
			return nil
		}
		go func() {
			defer close(order)
			defer close(jobs)
			produceErr = produce(p)
		}()
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case j, ok := <-jobs:
						if !ok {
							return
						}
						b.work(ctx, j)
						j.done <- struct{}{}
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		defer wg.Wait()
		defer cancel() // before wg.Wait: stops the producer and the workers

		loopEpoch := 0
		for j := range order {
			if j.sentinel {
				if j.epoch == loopEpoch {
					close(finish) // every record is taken: the producer returns
				}
				continue
			}
			select {
			case <-j.done:
			case <-ctx.Done():
				yield(BatchResult{}, batchStopped(parent))
				return
			}
			switch {
			case j.epoch != loopEpoch: // emitted after a record read again
			case j.fatal != nil:
				yield(BatchResult{}, j.fatal)
				return
			case j.resync:
				loopEpoch++
				rewind <- batchRewind{index: j.index, rec: j.rec}
			default:
				if !yield(j.res, nil) || j.ends {
					return
				}
				p.confirmed.Store(j.offset)
			}
			*j = batchJob{out: j.out[:0], done: j.done, mem: j.mem}
			select {
			case free <- j:
			default:
			}
		}
		// order is closed: the producer has returned.
		switch {
		case produceErr != nil:
			yield(BatchResult{}, produceErr)
		case cut:
			yield(BatchResult{}, batchStopped(parent))
		}
	}
}

func batchStopped(ctx context.Context) error {
	return fmt.Errorf("eligibility: batch stopped: %w", ctx.Err())
}

// work decodes (when needed), screens and renders one household.
func (b *Batch) work(ctx context.Context, j *batchJob) {
	res := BatchResult{Index: j.index, Offset: j.offset, Household: j.h, Err: j.err}
	opts, cmpOpts := b.Options, b.Options
	var blk *householdBlock
	if b.Reuse {
		if j.mem == nil {
			j.mem = b.newMem()
		}
		opts, cmpOpts, blk = j.mem.opts, j.mem.cmpOpts, &j.mem.blk
	}
	if j.hasRec {
		res.Household, res.Err, j.ends = j.rec.decodeInto(blk)
		if res.Err == errSpeculation {
			j.resync = true
			return
		}
	}
	if res.Err == nil {
		s, err := b.Engine.Screen(ctx, res.Household, b.AsOf, opts...)
		switch {
		case ctx.Err() != nil:
			j.fatal = batchStopped(ctx)
		case err != nil:
			res.Err = err
		case b.Compare != nil:
			c, err := b.Compare.Screen(ctx, res.Household, b.AsOf, cmpOpts...)
			switch {
			case ctx.Err() != nil:
				j.fatal = batchStopped(ctx)
			case err != nil:
				res.Err = err
			default:
				res.Screening, res.Compared = s, c
			}
		default:
			res.Screening = s
		}
		if res.Screening != nil && b.Render != nil {
			j.out = b.Render(j.out[:0], s)
			res.Output = j.out
		}
	}
	j.res = res
}
