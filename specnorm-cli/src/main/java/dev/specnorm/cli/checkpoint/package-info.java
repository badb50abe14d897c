/**
 * Reading the weights of real models: Hugging Face {@code .safetensors}, PyTorch zip checkpoints
 * ({@code torch.save} since 1.6) through a restricted unpickler, NumPy {@code .npz} and {@code .npy} of
 * float16 (and, when asked, bfloat16), all as {@link TensorEntry} views
 * converted exactly to float32; and {@code specnorm inspect}'s per-layer report of a checkpoint
 * ({@link CheckpointInspector}). Every size, offset and stride a file declares is
 * checked against the file before anything is allocated.
 */
package dev.specnorm.cli.checkpoint;
