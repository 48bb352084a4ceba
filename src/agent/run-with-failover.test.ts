import * as Anthropic from '@anthropic-ai/sdk'
import * as OpenAI from 'openai'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it, vi } from 'vitest'
import { AppError } from '../errors.js'
import { FailoverState } from './failover-state.js'
import { AllModelsFailedError, runWithFailover, type AttemptControl, type AttemptFailure } from './run-with-failover.js'

const START = Date.UTC(2026, 0, 1)
const PRIMARY = 'anthropic/claude-opus-4-5'
const FALLBACK = 'openai/gpt-4o'

const overloaded = (): Error =>
  Anthropic.APIError.generate(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers())
const badKey = (): Error =>
  OpenAI.APIError.generate(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }, undefined, new Headers())

/** Builds options where each ref's attempt does what `outcomes` says: return a value or throw an error. */
function setup(outcomes: Record<string, () => string>, now = () => START) {
  const state = new FailoverState({ storage: createStorage({ driver: memoryDriver() }) })
  const attempt = vi.fn(async (ref: string, _control: AttemptControl) => outcomes[ref]!())
  const failures: AttemptFailure[] = []
  const options = {
    candidates: Object.keys(outcomes),
    profileIdFor: (ref: string) => `${ref.split('/')[0]}:env`,
    attempt,
    state,
    now,
    onAttemptFailed: (failure: AttemptFailure) => failures.push(failure),
  }
  return { options, state, attempt, failures }
}

describe('runWithFailover', () => {
  it('answers with the fallback when the primary is overloaded (529 overloaded_error)', async () => {
    const { options, state, failures } = setup({
      [PRIMARY]: () => {
        throw overloaded()
      },
      [FALLBACK]: () => 'hi from gpt-4o',
    })
    const outcome = await runWithFailover(options)
    expect(outcome).toMatchObject({ result: 'hi from gpt-4o', ref: FALLBACK })
    expect(outcome.attempts).toEqual([expect.objectContaining({ ref: PRIMARY, reason: 'rate_limit', message: 'Overloaded' })])
    expect(failures).toEqual(outcome.attempts)
    expect(await state.isCoolingDown('anthropic:env', START)).toBe(true)
    expect((await state.snapshot())['openai:env']).toMatchObject({ lastUsed: START, errorCount: 0 })
  })

  it('falls back on a 429', async () => {
    const { options } = setup({
      [PRIMARY]: () => {
        throw Object.assign(new Error('429 Too Many Requests'), { status: 429 })
      },
      [FALLBACK]: () => 'ok',
    })
    await expect(runWithFailover(options)).resolves.toMatchObject({ ref: FALLBACK })
  })

  it.each([
    ['a plain 500', () => Anthropic.APIError.generate(500, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }, undefined, new Headers())],
    ['a 400', () => OpenAI.APIError.generate(400, { error: { message: 'Invalid value for messages' } }, undefined, new Headers())],
    ['a user abort', () => new Anthropic.APIUserAbortError()],
    ['a context overflow', () => new Error('prompt is too long: 250000 tokens > 200000 maximum')],
  ])('rethrows %s at once without trying the fallback', async (_label, makeError) => {
    const error = makeError()
    const { options, attempt, state } = setup({
      [PRIMARY]: () => {
        throw error
      },
      [FALLBACK]: () => 'should not be used',
    })
    await expect(runWithFailover(options)).rejects.toBe(error)
    expect(attempt).toHaveBeenCalledTimes(1)
    expect(await state.snapshot()).toEqual({})
  })

  it('skips a candidate whose profile is cooling down and records it as rate_limit', async () => {
    const { options, state, attempt } = setup({ [PRIMARY]: () => 'unused', [FALLBACK]: () => 'fallback answer' })
    await state.markFailure('anthropic:env', 'rate_limit', START - 1_000)
    const outcome = await runWithFailover(options)
    expect(outcome.ref).toBe(FALLBACK)
    expect(attempt).toHaveBeenCalledExactlyOnceWith(FALLBACK, expect.anything())
    expect(outcome.attempts).toEqual([{ ref: PRIMARY, profileId: 'anthropic:env', reason: 'rate_limit', message: 'in cooldown' }])
  })

  it('routes around a cooling-down profile and tries it again once its cooldown has passed', async () => {
    let now = START
    const { options, state } = setup({ [PRIMARY]: () => 'primary answer', [FALLBACK]: () => 'fallback answer' }, () => now)
    await state.markFailure('anthropic:env', 'timeout', START)
    await expect(runWithFailover(options)).resolves.toMatchObject({ ref: FALLBACK, result: 'fallback answer' })
    now = START + 60_000
    await expect(runWithFailover(options)).resolves.toMatchObject({ ref: PRIMARY, result: 'primary answer' })
  })

  it('still tries the candidates when every one is cooling down (env keys have one profile each)', async () => {
    const { options, state } = setup({ [PRIMARY]: () => 'primary answer' })
    await state.markFailure('anthropic:env', 'rate_limit', START)
    await expect(runWithFailover({ ...options, candidates: [PRIMARY] })).resolves.toMatchObject({ ref: PRIMARY })
  })

  it('rethrows the provider error itself when only one candidate was tried', async () => {
    const { options } = setup({ [PRIMARY]: () => { throw overloaded() } })
    const error = await runWithFailover({ ...options, candidates: [PRIMARY] }).catch((caught: unknown) => caught)
    expect(error).not.toBeInstanceOf(AllModelsFailedError)
    expect((error as { status?: number }).status).toBe(529)
  })

  it('throws AllModelsFailedError with the spec message and the attempts when everything fails', async () => {
    const { options } = setup({
      [PRIMARY]: () => {
        throw overloaded()
      },
      [FALLBACK]: () => {
        throw badKey()
      },
    })
    const error = await runWithFailover(options).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AllModelsFailedError)
    expect(error).toBeInstanceOf(AppError)
    const failed = error as AllModelsFailedError
    expect(failed.message).toBe(
      'All models failed (2): anthropic/claude-opus-4-5: Overloaded (rate_limit) | openai/gpt-4o: Incorrect API key provided (auth)',
    )
    expect(failed.attempts.map((attempt) => attempt.reason)).toEqual(['rate_limit', 'auth'])
    expect(failed.code).toBe('provider_failed')
  })

  it('does not move to another model once the attempt has started streaming', async () => {
    const { options, state } = setup({ [PRIMARY]: () => 'unused', [FALLBACK]: () => 'should not be used' })
    const error = overloaded()
    options.attempt.mockImplementationOnce(async (_ref, control) => {
      control.markStarted()
      throw error
    })
    await expect(runWithFailover(options)).rejects.toBe(error)
    expect(options.attempt).toHaveBeenCalledTimes(1)
    // The profile still failed, so it still gets its cooldown.
    expect(await state.isCoolingDown('anthropic:env', START)).toBe(true)
  })

  it('refuses an empty candidate list', async () => {
    const { options } = setup({})
    await expect(runWithFailover(options)).rejects.toThrow('[failover] no model candidates to try')
  })
})
