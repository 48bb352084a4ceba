import { h, icon, ICONS, replaceChildren } from '../lib/dom.js'

/** An image waiting to be sent: base64 without the `data:` prefix, as `chat.send` wants it. */
export interface PendingImage {
  mimeType: string
  content: string
  name: string
}

const ACCEPTED = /^image\/(png|jpeg|gif|webp)$/
// The gateway accepts frames up to 8 MiB; base64 adds a third, so keep each image well below.
const MAX_IMAGE_BYTES = 5 * 1024 * 1024
const MAX_IMAGES = 4

/** The composer's image picker: an attach button, paste and drop handlers, and removable thumbnails. */
export function createAttachments(options: { onError: (message: string) => void; onChange: () => void }) {
  let pending: PendingImage[] = []
  const fileInput = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp', multiple: true, class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' })
  fileInput.addEventListener('change', () => {
    void addFiles([...(fileInput.files ?? [])])
    fileInput.value = ''
  })
  const button = h('button', { type: 'button', class: 'button icon-button', 'aria-label': 'Attach image', title: 'Attach image', onclick: () => fileInput.click() }, icon(ICONS.attach))
  const preview = h('ul', { class: 'attachments', 'aria-label': 'Attached images', hidden: true })

  async function addFiles(files: File[]): Promise<void> {
    for (const file of files) {
      if (!ACCEPTED.test(file.type)) {
        options.onError(`${file.name || 'That file'} is not a PNG, JPEG, GIF or WebP image.`)
        continue
      }
      if (file.size > MAX_IMAGE_BYTES) {
        options.onError(`${file.name || 'The image'} is larger than 5 MB; send a smaller one.`)
        continue
      }
      if (pending.length >= MAX_IMAGES) {
        options.onError(`At most ${MAX_IMAGES} images per message.`)
        break
      }
      const dataUrl = await readAsDataUrl(file)
      pending.push({ mimeType: file.type, content: dataUrl.slice(dataUrl.indexOf(',') + 1), name: file.name || 'pasted image' })
    }
    renderPreview()
  }

  function renderPreview(): void {
    preview.hidden = pending.length === 0
    replaceChildren(
      preview,
      pending.map((image, index) =>
        h(
          'li',
          { class: 'attachment' },
          h('img', { src: `data:${image.mimeType};base64,${image.content}`, alt: image.name }),
          h('button', { type: 'button', class: 'attachment-remove', 'aria-label': `Remove ${image.name}`, onclick: () => { pending.splice(index, 1); renderPreview() } }, icon(ICONS.close)),
        ),
      ),
    )
    options.onChange()
  }

  return {
    button,
    preview: h('div', null, fileInput, preview),
    handlePaste(event: ClipboardEvent): void {
      const files = [...(event.clipboardData?.files ?? [])].filter((file) => file.type.startsWith('image/'))
      if (files.length === 0) return
      event.preventDefault()
      void addFiles(files)
    },
    handleDrop(event: DragEvent): void {
      const files = [...(event.dataTransfer?.files ?? [])]
      if (files.length === 0) return
      event.preventDefault()
      void addFiles(files)
    },
    /** Removes and returns the pending images (on send). */
    take(): PendingImage[] {
      const taken = pending
      pending = []
      renderPreview()
      return taken
    },
    restore(images: PendingImage[]): void {
      pending = [...images, ...pending]
      renderPreview()
    },
  }
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'))
    reader.readAsDataURL(file)
  })
}
